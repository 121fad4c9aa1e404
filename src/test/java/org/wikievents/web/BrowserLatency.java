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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
 * matched to events by wiki host and revision, so events without a revision (log entries) are
 * counted but not timed. Also counts the bytes one more live client receives per second.
 */
public final class BrowserLatency {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Injected into the page after its first snapshot: notes each feed row added, and when. */
  static final String OBSERVER =
      "window.__rows = 0; window.__seen = {};"
          + "const body = document.getElementById('t-feed').tBodies[0];"
          + "new MutationObserver((ms) => { const now = Date.now();"
          + "  for (const m of ms) for (const tr of m.addedNodes) {"
          + "    if (tr.nodeName !== 'TR' || tr.querySelector('td.empty')) continue;"
          + "    window.__rows++;"
          + "    const a = tr.querySelector('a'); if (!a) continue;"
          + "    const u = new URL(a.href); const p = u.searchParams;"
          + "    const rev = p.get('diff') || p.get('oldid'); if (!rev) continue;"
          + "    const k = u.host + '|' + rev; if (!(k in window.__seen)) window.__seen[k] = now;"
          + "  } }).observe(body, { childList: true });";

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
                    0, null, Duration.ofMillis(250), () -> IngestState.none("benchmark")));
        Browser browser = Browser.startOrSkip()) {
      feed.pace(Duration.ofNanos(1_000_000_000L / perSecond));
      browser.driver.get("http://127.0.0.1:" + dashboard.port() + "/");
      browser.waitUntil(
          "the first snapshot", "return Number(document.body.dataset.updates || 0) >= 1;");
      browser.js(OBSERVER);
      ByteCounter bytes = ByteCounter.start(dashboard.port());
      long bytesBefore = bytes.afterSnapshot();
      Thread watchFeed = new Thread(() -> watch(feed, emitted), "watch-feed");
      watchFeed.setDaemon(true);
      watchFeed.start();
      long start = System.nanoTime();
      Pipeline pipeline =
          Pipeline.start(
              source(feed), new MemoryQueue(20_000), store, Loader.Settings.defaults(), registry);
      pipeline.loader().onCommit(c -> dashboard.storeChanged());
      long deadline = System.nanoTime() + Duration.ofSeconds(events / perSecond + 60).toNanos();
      while (System.nanoTime() < deadline
          && (pipeline.loader().totals().received() < events
              || !settled(browser, pipeline.loader().totals().stored()))) {
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long received = bytes.stop() - bytesBefore;
      pipeline.close();
      @SuppressWarnings("unchecked")
      Map<String, Number> seen = (Map<String, Number>) browser.js("return window.__seen;");
      long rows = (Long) browser.js("return window.__rows;");
      long skipped = ((Number) browser.js("return feedSkipped;")).longValue();
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
    return r;
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

  /** Event position by "host|revision", for the events that have a revision. */
  private static Map<String, Integer> keys(List<String> lines) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode e = JSON.readTree(lines.get(i));
      JsonNode rev = e.path("revision").path("new");
      if (rev.isNumber()) {
        out.putIfAbsent(e.path("server_name").asText() + "|" + rev.asLong(), i);
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

  /** One more live client, reading {@code /api/live} raw and counting its bytes. */
  private static final class ByteCounter {
    private final AtomicLong bytes = new AtomicLong();
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
                  byte[] buf = new byte[65536];
                  for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    bytes.addAndGet(n);
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

    static ByteCounter start(int port) {
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
