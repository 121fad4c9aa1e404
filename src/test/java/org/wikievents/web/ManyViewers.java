package org.wikievents.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/**
 * Many viewers of one dashboard, in one process with what {@code run} wires: {@code clients} live
 * streams over {@code filters} filters while the loopback SSE server plays the sample at the real
 * rate (each feed row timed from the server's write to the client's receipt, and the CPU the
 * dashboard's threads used); then {@code idle} open live streams against the latency of {@code
 * /health} and {@code /api/kpis}.
 */
public final class ManyViewers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManyViewers() {}

  public static Map<String, Object> measure(
      Path dir, int clients, int filters, int events, int perSecond, int idle) throws Exception {
    List<String> lines =
        RecordedEventServer.sample("recentchange-2026-05-05-multiwiki").subList(0, events);
    Map<String, Integer> byKey = new HashMap<>();
    Map<String, Integer> perWiki = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode e = JSON.readTree(lines.get(i));
      perWiki.merge(e.path("wiki").asText(), 1, Integer::sum);
      JsonNode rev = e.path("revision").path("new");
      if (rev.isNumber()) {
        byKey.putIfAbsent(e.path("wiki").asText() + "|" + rev.asLong(), i);
      }
    }
    List<String> queries = new ArrayList<>();
    queries.add("");
    perWiki.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(filters - 1)
        .forEach(e -> queries.add("?wiki=" + e.getKey()));
    Path db = dir.resolve("viewers.duckdb");
    java.nio.file.Files.deleteIfExists(db);
    Map<String, Object> r = new LinkedHashMap<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(10_000);
    dispatcher.setMaxRequestsPerHost(10_000);
    OkHttpClient http =
        new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(Duration.ZERO).build();
    long[] emitted = new long[events];
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    Map<String, Integer> reasons = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Integer> idleReasons = new java.util.concurrent.ConcurrentHashMap<>();
    List<EventSource> open = new ArrayList<>();
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
                    () -> IngestState.none("benchmark")))) {
      String base = "http://127.0.0.1:" + dashboard.port();
      feed.pace(Duration.ofNanos(1_000_000_000L / perSecond));
      AtomicInteger snapshots = new AtomicInteger();
      for (int i = 0; i < clients; i++) {
        open.add(
            EventSources.createFactory(http)
                .newEventSource(
                    new Request.Builder()
                        .url(base + "/api/live" + queries.get(i % queries.size()))
                        .build(),
                    new EventSourceListener() {
                      @Override
                      public void onEvent(EventSource s, String id, String type, String data) {
                        if (type.equals("snapshot")) {
                          snapshots.incrementAndGet();
                        } else {
                          timeRows(data, byKey, emitted, latencies);
                        }
                      }

                      @Override
                      public void onFailure(EventSource s, Throwable t, Response resp) {
                        failures.incrementAndGet();
                        reasons.merge(reason(t, resp), 1, Integer::sum);
                      }
                    }));
      }
      waitFor(() -> snapshots.get() + failures.get() >= clients, Duration.ofSeconds(60));
      Thread watch = new Thread(() -> watch(feed, emitted), "watch-feed");
      watch.setDaemon(true);
      watch.start();
      Map<Long, Long> cpuBefore = dashboardCpu();
      long start = System.nanoTime();
      Pipeline pipeline =
          Pipeline.start(
              BrowserLatency.source(feed),
              new MemoryQueue(20_000),
              store,
              Loader.Settings.defaults(),
              registry);
      pipeline.loader().onCommit(c -> dashboard.storeChanged());
      waitFor(
          () -> pipeline.loader().totals().received() >= events,
          Duration.ofSeconds(events / perSecond + 60));
      // The last updates reach the clients.
      Thread.sleep(2000);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cores = cpuSeconds(cpuBefore, dashboardCpu()) / seconds;
      int failed = failures.get();
      pipeline.close();
      // Cancelling is reported as a failure too: counted above, before.
      open.forEach(EventSource::cancel);
      open.clear();
      double[] ms = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      r.put("clients", clients);
      r.put("filters", queries.size());
      r.put("events_per_s", perSecond);
      r.put("client_failures", failed);
      r.put("client_failure_reasons", new java.util.TreeMap<>(reasons));
      r.put("rows_received", ms.length);
      r.put("p50_ms", BrowserLatency.percentile(ms, 50));
      r.put("p95_ms", BrowserLatency.percentile(ms, 95));
      r.put("max_ms", ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
      r.put("dashboard_cores", cores);
      System.out.printf(
          Locale.ROOT,
          "%nmany viewers: %d live clients over %d filters at %d events/s: feed row from the SSE"
              + " server to each client p50 %.0f ms, p95 %.0f ms, max %.0f ms (%,d rows, %d"
              + " clients failed: %s); dashboard threads used %.2f cores%n",
          clients,
          queries.size(),
          perSecond,
          (double) r.get("p50_ms"),
          (double) r.get("p95_ms"),
          (double) r.get("max_ms"),
          ms.length,
          failed,
          r.get("client_failure_reasons"),
          cores);

      HttpClient plain = HttpClient.newHttpClient();
      Map<String, Object> quiet = latency(plain, base);
      AtomicInteger idleOpen = new AtomicInteger();
      AtomicInteger idleFailed = new AtomicInteger();
      for (int i = 0; i < idle; i++) {
        open.add(
            EventSources.createFactory(http)
                .newEventSource(
                    new Request.Builder().url(base + "/api/live").build(),
                    new EventSourceListener() {
                      @Override
                      public void onOpen(EventSource s, Response resp) {
                        idleOpen.incrementAndGet();
                      }

                      @Override
                      public void onFailure(EventSource s, Throwable t, Response resp) {
                        idleFailed.incrementAndGet();
                        idleReasons.merge(reason(t, resp), 1, Integer::sum);
                      }
                    }));
      }
      waitFor(() -> idleOpen.get() + idleFailed.get() >= idle, Duration.ofSeconds(60));
      int opened = idleOpen.get();
      int refused = idleFailed.get();
      Map<String, Object> busy = latency(plain, base);
      open.forEach(EventSource::cancel);
      r.put("idle_connections_open", opened);
      r.put("idle_connections_refused", refused);
      r.put("idle_refusal_reasons", new java.util.TreeMap<>(idleReasons));
      r.put("without_idle", quiet);
      r.put("with_idle", busy);
      System.out.printf(
          Locale.ROOT,
          "%n%d idle live connections (%d open, %d refused: %s): /health p95 %.1f ms -> %.1f ms,"
              + " /api/kpis p95 %.1f ms -> %.1f ms (with them: %s of 20 timed out at 5 s)%n",
          idle,
          opened,
          refused,
          r.get("idle_refusal_reasons"),
          (double) quiet.get("health_p95_ms"),
          (double) busy.get("health_p95_ms"),
          (double) quiet.get("kpis_p95_ms"),
          (double) busy.get("kpis_p95_ms"),
          busy.get("health_timed_out_after_5s") + "+" + busy.get("kpis_timed_out_after_5s"));
    } finally {
      dispatcher.executorService().shutdownNow();
    }
    return r;
  }

  private static void timeRows(
      String data, Map<String, Integer> byKey, long[] emitted, ConcurrentLinkedQueue<Double> out) {
    long now = System.currentTimeMillis();
    try {
      JsonNode feed = JSON.readTree(data).get("feed");
      if (feed == null) {
        return;
      }
      List<String> cols = new ArrayList<>();
      feed.get("columns").forEach(c -> cols.add(c.asText()));
      int wiki = cols.indexOf("wiki");
      int rev = cols.indexOf("revision_new");
      for (JsonNode row : feed.get("rows")) {
        Integer i = byKey.get(row.get(wiki).asText() + "|" + row.get(rev).asLong());
        if (i != null && emitted[i] > 0) {
          out.add((double) Math.max(0, now - emitted[i]));
        }
      }
    } catch (Exception e) {
      // Not an update this benchmark reads.
    }
  }

  private static Map<String, Object> latency(HttpClient http, String base) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    for (String path : List.of("/health", "/api/kpis")) {
      double[] ms = new double[20];
      int timedOut = 0;
      for (int i = 0; i < ms.length; i++) {
        long t = System.nanoTime();
        try {
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (java.net.http.HttpTimeoutException e) {
          timedOut++;
        }
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      java.util.Arrays.sort(ms);
      String key = path.equals("/health") ? "health" : "kpis";
      r.put(key + "_timed_out_after_5s", timedOut);
      r.put(key + "_p50_ms", BrowserLatency.percentile(ms, 50));
      r.put(key + "_p95_ms", BrowserLatency.percentile(ms, 95));
    }
    return r;
  }

  /** CPU time so far of the dashboard's threads: web server, live stream, store reads. */
  private static Map<Long, Long> dashboardCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      String n = t.getThreadName();
      if (n.startsWith("dashboard-live")
          || n.startsWith("duckdb-reader")
          || n.contains("Jetty")
          || n.startsWith("qtp")) {
        out.put(t.getThreadId(), mx.getThreadCpuTime(t.getThreadId()));
      }
    }
    return out;
  }

  private static double cpuSeconds(Map<Long, Long> before, Map<Long, Long> after) {
    long ns = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      ns += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return ns / 1e9;
  }

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

  private static void waitFor(java.util.function.BooleanSupplier done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** Why a stream failed, in a few words: the status it was answered with, or the error. */
  private static String reason(Throwable t, Response resp) {
    if (resp != null && resp.code() != 200) {
      return "HTTP " + resp.code();
    }
    return t == null ? "closed by the server" : t.getClass().getSimpleName();
  }
}
