package org.wikievents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.wikievents.web.DashboardServer;

/**
 * From the loopback SSE server writing an event to the event being counted by the dashboard API
 * ({@code /api/wikis}, read from the store): the whole live path of {@code run}, in one process.
 */
final class LiveLatency {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveLatency() {}

  /** Serves {@code events} sample events at {@code perSecond} and measures each one's latency. */
  static Map<String, Object> measure(Path dir, int events, int perSecond) throws Exception {
    List<String> lines =
        RecordedEventServer.sample("recentchange-2026-05-05-multiwiki").subList(0, events);
    Path db = dir.resolve("live-" + perSecond + ".duckdb");
    Benchmark.deleteStore(db);
    long[] emitted = new long[events];
    long[] visible = new long[events];
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
                    Duration.ofSeconds(1),
                    () -> IngestState.none("benchmark")))) {
      feed.pace(Duration.ofNanos(1_000_000_000L / perSecond));
      SseEventSource source =
          new SseEventSource(
              new SseSettings(
                  feed.url(),
                  "recentchange",
                  "wiki-events-benchmark",
                  null,
                  null,
                  Duration.ofSeconds(30),
                  Duration.ofMillis(100),
                  Duration.ofSeconds(1)));
      Thread watchFeed = new Thread(() -> watch(feed, emitted), "watch-feed");
      watchFeed.setDaemon(true);
      watchFeed.start();
      Pipeline pipeline =
          Pipeline.start(
              source, new MemoryQueue(20_000), store, Loader.Settings.defaults(), registry);
      HttpClient http = HttpClient.newHttpClient();
      URI wikis = URI.create("http://127.0.0.1:" + dashboard.port() + "/api/wikis");
      long deadline = System.nanoTime() + Duration.ofSeconds(events / perSecond + 60).toNanos();
      int seen = 0;
      while (seen < events && System.nanoTime() < deadline) {
        long now = System.nanoTime();
        int count = countedByApi(http, wikis);
        for (int i = seen; i < Math.min(count, events); i++) {
          visible[i] = now;
        }
        seen = Math.max(seen, Math.min(count, events));
        Thread.sleep(10);
      }
      pipeline.close();
      if (seen < events) {
        throw new IllegalStateException("only " + seen + " of " + events + " became visible");
      }
    }
    double[] ms = new double[events];
    for (int i = 0; i < events; i++) {
      ms[i] = Math.max(0, (visible[i] - emitted[i]) / 1e6);
    }
    Arrays.sort(ms);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("events", events);
    r.put("events_per_s", perSecond);
    r.put("p50_ms", ApiLatency.percentile(ms, 50));
    r.put("p95_ms", ApiLatency.percentile(ms, 95));
    r.put("max_ms", ms[ms.length - 1]);
    System.out.printf(
        Locale.ROOT,
        "%nlive: event written by the SSE server -> counted by the API, %,d events at %,d/s:"
            + " p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
        events,
        perSecond,
        (double) r.get("p50_ms"),
        (double) r.get("p95_ms"),
        (double) r.get("max_ms"));
    return r;
  }

  /** Notes when each event was written to the socket (polled every 2 ms). */
  private static void watch(RecordedEventServer feed, long[] emitted) {
    int done = 0;
    while (done < emitted.length) {
      long now = System.nanoTime();
      int written = (int) Math.min(emitted.length, feed.eventsWritten());
      for (int i = done; i < written; i++) {
        emitted[i] = now;
      }
      done = Math.max(done, written);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static int countedByApi(HttpClient http, URI wikis) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(wikis).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    int total = 0;
    for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
      total += row.get(1).asInt();
    }
    return total;
  }
}
