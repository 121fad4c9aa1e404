package org.wikievents.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.source.SseEventSource;
import org.wikievents.source.SseSettings;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/**
 * From the loopback SSE server writing an event to that event's row appearing in the page's feed,
 * in headless Chromium: what {@code run} wires (source → memory queue → loader → DuckDB, the
 * dashboard told of each commit), in one process. The benchmark's own script in the page (a
 * MutationObserver on the feed, not part of the product) notes when each row was added; rows are
 * matched to events by what they show (time, wiki, title, editor), so of events that show the same
 * only the first is timed. Also counts the bytes one more live client receives per second.
 */
public final class BrowserLatency {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Injected into the page after its first snapshot: notes each feed row added, and when. A row is
   * known by what it shows (time to the second, wiki, title, editor), as the feed links to
   * drill-downs rather than to revisions.
   */
  static final String OBSERVER =
      "window.__rows = 0; window.__seen = {};"
          + "const body = document.getElementById('t-feed').tBodies[0];"
          + "const text = (td) => { if (!td) return ''; const a = td.querySelector('a');"
          + "  return (a ? a.textContent : td.textContent) || ''; };"
          + "new MutationObserver((ms) => { const now = Date.now();"
          + "  for (const m of ms) for (const tr of m.addedNodes) {"
          + "    if (tr.nodeName !== 'TR' || tr.querySelector('td.empty')) continue;"
          + "    window.__rows++;"
          + "    const c = tr.cells;"
          + "    const k = [c[0], c[1], c[3], c[4]].map(text).join('|');"
          + "    if (!(k in window.__seen)) window.__seen[k] = now;"
          + "  } }).observe(body, { childList: true });";

  /**
   * Installed before the page's own script: each live message handed to the page's listener is
   * noted with when the listener was called and when it returned (the message's text is kept and
   * read after the run, so the page does no extra work meanwhile).
   */
  static final String RECEIVE_HOOK =
      "window.__msgs = [];"
          + "const add = EventSource.prototype.addEventListener;"
          + "EventSource.prototype.addEventListener = function (type, fn, o) {"
          + "  if (type !== 'update') return add.call(this, type, fn, o);"
          + "  return add.call(this, type, function (e) { const t0 = Date.now();"
          + "    try { return fn.call(this, e); }"
          + "    finally { window.__msgs.push([t0, Date.now(), e.data]); } }, o); };";

  private BrowserLatency() {}

  /** Serves {@code events} sample events at {@code perSecond} to a page and times each row. */
  public static Map<String, Object> measure(Path dir, int events, int perSecond) throws Exception {
    List<String> lines =
        RecordedEventServer.sample("recentchange-2026-05-05-multiwiki").subList(0, events);
    Map<String, Integer> byKey = keys(lines);
    Path db = dir.resolve("browser-" + perSecond + ".duckdb");
    deleteStore(db);
    long[] emitted = new long[events];
    Map<String, Object> r = new LinkedHashMap<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RecordedEventServer feed = RecordedEventServer.start(lines);
        EventStore store = DuckDb.open(db);
        StoreReader reader = store.reader();
        DashboardServer dashboard =
            DashboardServer.start(
                reader,
                registry,
                new DashboardServer.Settings(
                    "127.0.0.1",
                    0,
                    null,
                    Duration.ofMillis(250),
                    () -> IngestState.none("benchmark")));
        Browser browser = Browser.startOrSkip()) {
      feed.pace(Duration.ofNanos(1_000_000_000L / perSecond));
      browser.driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECEIVE_HOOK));
      browser.driver.get("http://127.0.0.1:" + dashboard.port() + "/");
      browser.waitUntil(
          "the first snapshot", "return Number(document.body.dataset.updates || 0) >= 1;");
      browser.js(OBSERVER);
      browser.js("window.__msgs.length = 0;");
      ByteCounter bytes = ByteCounter.start(dashboard.port(), events);
      long bytesBefore = bytes.afterSnapshot();
      Thread watchFeed = new Thread(() -> watch(feed, emitted), "watch-feed");
      watchFeed.setDaemon(true);
      watchFeed.start();
      long start = System.nanoTime();
      TimedQueue queue = new TimedQueue(new MemoryQueue(20_000), events);
      long[] committed = new long[events];
      int[] commits = new int[1];
      Pipeline pipeline =
          Pipeline.start(source(feed), queue, store, Loader.Settings.defaults(), registry);
      pipeline
          .loader()
          .onCommit(
              c -> {
                // Events reach the loader in the order they were written, so a commit holds the
                // next result().received() of them.
                int from = commits[0];
                int to = Math.min(events, from + c.result().received());
                java.util.Arrays.fill(committed, from, to, c.committedAt());
                commits[0] = to;
              });
      pipeline.loader().onCommit(c -> dashboard.storeChanged());
      long deadline = System.nanoTime() + Duration.ofSeconds(events / perSecond + 60).toNanos();
      while (System.nanoTime() < deadline
          && (pipeline.loader().totals().received() < events
              || !settled(browser, pipeline.loader().totals().stored()))) {
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long received = bytes.stop() - bytesBefore;
      r.put("cpu_ms_by_thread", threadCpuMillis());
      pipeline.close();
      @SuppressWarnings("unchecked")
      Map<String, Number> seen = (Map<String, Number>) browser.js("return window.__seen;");
      long rows = (Long) browser.js("return window.__rows;");
      long skipped = ((Number) browser.js("return feedSkipped;")).longValue();
      @SuppressWarnings("unchecked")
      List<List<Object>> msgs = (List<List<Object>>) browser.js("return window.__msgs;");
      Map<String, long[]> inPage = new HashMap<>();
      for (List<Object> m : msgs) {
        long t0 = ((Number) m.get(0)).longValue();
        long t1 = ((Number) m.get(1)).longValue();
        for (String k : feedKeys((String) m.get(2))) {
          inPage.putIfAbsent(k, new long[] {t0, t1});
        }
      }
      r.put("hops_ms", hops(byKey, emitted, queue, committed, bytes.arrived, inPage, seen, events));
      double[] ms =
          seen.entrySet().stream()
              .filter(e -> byKey.containsKey(e.getKey()))
              .mapToDouble(e -> e.getValue().doubleValue() - emitted[byKey.get(e.getKey())])
              .map(v -> Math.max(0, v))
              .sorted()
              .toArray();
      r.put("events", events);
      r.put("events_per_s", perSecond);
      r.put("rows_drawn", rows);
      r.put("rows_skipped_shown", skipped);
      r.put("rows_timed", ms.length);
      r.put("p50_ms", percentile(ms, 50));
      r.put("p95_ms", percentile(ms, 95));
      r.put("max_ms", ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
      r.put("live_bytes_per_s", received / seconds);
      r.put("commits", registry.get("wiki_events_batch_commit").timer().count());
      r.put(
          "commit_mean_ms",
          registry
              .get("wiki_events_batch_commit")
              .timer()
              .mean(java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    System.out.printf(
        Locale.ROOT,
        "%nbrowser: event written by the SSE server -> its row on the page (Chromium), %,d events"
            + " at %,d/s: p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d rows drawn, %d shown as"
            + " skipped, %d timed); one live client received %,.0f bytes/s%n",
        events,
        perSecond,
        (double) r.get("p50_ms"),
        (double) r.get("p95_ms"),
        (double) r.get("max_ms"),
        (long) r.get("rows_drawn"),
        (long) r.get("rows_skipped_shown"),
        (int) r.get("rows_timed"),
        (double) r.get("live_bytes_per_s"));
    @SuppressWarnings("unchecked")
    Map<String, double[]> hops = (Map<String, double[]>) r.get("hops_ms");
    StringBuilder line = new StringBuilder("  per hop, p50/p95 ms:");
    hops.forEach(
        (name, v) -> line.append(String.format(Locale.ROOT, " %s %.0f/%.0f", name, v[0], v[1])));
    System.out.println(line);
    System.out.printf(
        Locale.ROOT,
        "  %d commits; CPU ms by thread: %s%n",
        (long) r.get("commits"),
        r.get("cpu_ms_by_thread"));
    return r;
  }

  /**
   * Each hop's p50 and p95 over the timed events: SSE server write → put in the queue → taken by
   * the loader's parser → committed → the update read by a raw live client → handed to the page's
   * listener → the listener returned → the row added.
   */
  private static Map<String, double[]> hops(
      Map<String, Integer> byKey,
      long[] emitted,
      TimedQueue queue,
      long[] committed,
      Map<String, Long> arrived,
      Map<String, long[]> inPage,
      Map<String, Number> seen,
      int events) {
    String[] names = {
      "sse_to_queue",
      "queue_to_loader",
      "loader_to_commit",
      "commit_to_raw_client",
      "commit_to_page",
      "page_listener",
      "listener_to_row",
      "total"
    };
    List<List<Double>> v = new java.util.ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      v.add(new java.util.ArrayList<>());
    }
    for (Map.Entry<String, Number> e : seen.entrySet()) {
      Integer i = byKey.get(e.getKey());
      long[] page = inPage.get(e.getKey());
      Long raw = arrived.get(e.getKey());
      if (i == null || i >= events || page == null || raw == null || committed[i] == 0) {
        continue;
      }
      long row = e.getValue().longValue();
      long[] t = {
        emitted[i], queue.put[i], queue.taken[i], committed[i], raw, page[0], page[1], row
      };
      v.get(0).add((double) (t[1] - t[0]));
      v.get(1).add((double) (t[2] - t[1]));
      v.get(2).add((double) (t[3] - t[2]));
      v.get(3).add((double) (t[4] - t[3]));
      v.get(4).add((double) (t[5] - t[3]));
      v.get(5).add((double) (t[6] - t[5]));
      v.get(6).add((double) (t[7] - t[6]));
      v.get(7).add((double) (t[7] - t[0]));
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      double[] sorted = v.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.put(names[i], new double[] {percentile(sorted, 50), percentile(sorted, 95)});
    }
    return out;
  }

  /** The keys (see {@link #keys}) of the feed rows in a live update's JSON. */
  static List<String> feedKeys(String update) {
    try {
      JsonNode feed = JSON.readTree(update).path("feed");
      List<String> columns = new java.util.ArrayList<>();
      feed.path("columns").forEach(c -> columns.add(c.asText()));
      int time = columns.indexOf("time");
      int wiki = columns.indexOf("wiki");
      int title = columns.indexOf("title");
      int user = columns.indexOf("user");
      List<String> out = new java.util.ArrayList<>();
      for (JsonNode row : feed.path("rows")) {
        String t = row.get(time).asText();
        out.add(
            (t.length() >= 19 ? t.substring(11, 19) : t)
                + "|"
                + row.get(wiki).asText("")
                + "|"
                + (row.get(title).isNull() ? "" : row.get(title).asText())
                + "|"
                + (row.get(user).isNull() ? "" : row.get(user).asText()));
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A memory queue that notes when each event was put and when it was taken. */
  private static final class TimedQueue implements org.wikievents.queue.EventQueue {
    private final MemoryQueue q;
    final long[] put;
    final long[] taken;
    private int puts;
    private int takes;

    TimedQueue(MemoryQueue q, int events) {
      this.q = q;
      this.put = new long[events];
      this.taken = new long[events];
    }

    @Override
    public void put(RawEvent event) throws InterruptedException {
      q.put(event);
      if (puts < put.length) {
        put[puts] = System.currentTimeMillis();
      }
      puts++;
    }

    @Override
    public org.wikievents.queue.Batch take(int max, Duration linger) throws InterruptedException {
      org.wikievents.queue.Batch b = q.take(max, linger);
      if (b != null) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < b.size() && takes < taken.length; i++) {
          taken[takes++] = now;
        }
      }
      return b;
    }

    @Override
    public void ack(org.wikievents.queue.Batch batch) {
      q.ack(batch);
    }

    @Override
    public void finishInput() {
      q.finishInput();
    }

    @Override
    public int depth() {
      return q.depth();
    }

    @Override
    public void close() {
      q.close();
    }
  }

  /**
   * CPU time of the live path's threads so far, by name (numbered pool threads summed): less
   * sensitive to a loaded machine than latencies.
   */
  private static Map<String, Long> threadCpuMillis() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName().replaceAll("-\\d+$", "");
      if (name.startsWith("loader") || name.startsWith("dashboard-live") || name.equals("sse")) {
        long ns = mx.getThreadCpuTime(t.getId());
        if (ns > 0) {
          out.merge(name, ns / 1_000_000, Long::sum);
        }
      }
    }
    return out;
  }

  /** Every event is on the page as a row or in the skipped count (nothing else pending). */
  static boolean settled(Browser b, long events) {
    return Boolean.TRUE.equals(b.js("return window.__rows + feedSkipped >= arguments[0];", events));
  }

  static SseEventSource source(RecordedEventServer feed) {
    return new SseEventSource(
        new SseSettings(
            feed.url(),
            "recentchange",
            "wiki-events-benchmark",
            null,
            null,
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofSeconds(1)));
  }

  /**
   * Event position by what its feed row shows ("HH:MM:SS|wiki|title|user", see {@link #OBSERVER});
   * of events that look the same, only the first is timed.
   */
  private static Map<String, Integer> keys(List<String> lines) {
    EventParser parser = new EventParser();
    DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (parser.parse(RawEvent.of("bench", null, lines.get(i), 0))
          instanceof ParseResult.Accepted a) {
        WikiEvent e = a.event();
        String k =
            hms.format(Instant.ofEpochMilli(e.eventTimeMillis()))
                + "|"
                + e.wiki()
                + "|"
                + (e.title() == null ? "" : e.title())
                + "|"
                + (e.user() == null ? "" : e.user());
        out.putIfAbsent(k, i);
      }
    }
    return out;
  }

  /** Notes (epoch ms, the page's clock) when each event was written to the socket. */
  private static void watch(RecordedEventServer feed, long[] emitted) {
    int done = 0;
    while (done < emitted.length) {
      long now = System.currentTimeMillis();
      int written = (int) Math.min(emitted.length, feed.eventsWritten());
      for (int i = done; i < written; i++) {
        emitted[i] = now;
      }
      done = Math.max(done, written);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void deleteStore(Path db) throws IOException {
    Path bronze = db.resolveSibling(db.getFileName() + ".bronze");
    if (Files.isDirectory(bronze)) {
      try (Stream<Path> s = Files.walk(bronze)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.deleteIfExists(db);
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".wal"));
  }

  /**
   * One more live client, reading {@code /api/live} raw: counts its bytes and notes when each feed
   * row first arrived.
   */
  private static final class ByteCounter {
    private final AtomicLong bytes = new AtomicLong();
    final Map<String, Long> arrived = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile InputStream in;

    private ByteCounter(int port) {
      thread =
          new Thread(
              () -> {
                try {
                  HttpResponse<InputStream> r =
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + port + "/api/live"))
                                  .header("Accept", "text/event-stream")
                                  .build(),
                              HttpResponse.BodyHandlers.ofInputStream());
                  in = r.body();
                  InputStream counted =
                      new java.io.FilterInputStream(in) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                          int n = super.read(b, off, len);
                          if (n > 0) {
                            bytes.addAndGet(n);
                          }
                          return n;
                        }
                      };
                  java.io.BufferedReader lines =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(
                              counted, java.nio.charset.StandardCharsets.UTF_8));
                  String event = null;
                  for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                    if (l.startsWith("event: ")) {
                      event = l.substring(7);
                    } else if (l.startsWith("data: ") && "update".equals(event)) {
                      long now = System.currentTimeMillis();
                      for (String k : feedKeys(l.substring(6))) {
                        arrived.putIfAbsent(k, now);
                      }
                    } else if (l.isEmpty()) {
                      event = null;
                    }
                  }
                } catch (IOException e) {
                  // Closed by stop().
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "live-bytes");
      thread.setDaemon(true);
    }

    static ByteCounter start(int port, int events) {
      ByteCounter c = new ByteCounter(port);
      c.thread.start();
      return c;
    }

    /** The bytes of the first snapshot, once it came (only what follows it is counted). */
    long afterSnapshot() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long last = -1;
      while (System.nanoTime() < deadline) {
        long now = bytes.get();
        if (now > 0 && now == last) {
          return now;
        }
        last = now;
        Thread.sleep(200);
      }
      throw new IllegalStateException("no live snapshot within 10 s");
    }

    long stop() throws IOException {
      InputStream s = in;
      if (s != null) {
        s.close();
      }
      return bytes.get();
    }
  }
}
