package org.wikievents.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wikievents.load.IngestState;
import org.wikievents.store.SqlScript;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Samples;
import org.wikievents.web.DashboardServer;

/** p50 / p95 of every dashboard endpoint, served by the real server over HTTP on loopback. */
final class ApiLatency {
  static final List<String> ENDPOINTS =
      List.of(
          "/api/kpis",
          "/api/timeline",
          "/api/timeline?range=1h",
          "/api/timeline-hourly",
          "/api/top-wikis",
          "/api/types",
          "/api/namespaces",
          "/api/heatmap",
          "/api/spikes",
          "/api/page-spikes",
          "/api/top-pages",
          "/api/editors",
          "/api/new-pages",
          "/api/feed",
          "/api/wikis",
          "/api/snapshot",
          "/api/timeline?wiki=enwiki&bot=human",
          "/api/top-pages?wiki=commonswiki&type=categorize",
          "/api/feed?wiki=wikidatawiki&bot=bot",
          "/api/heatmap?wiki=enwiki",
          "/health");

  /** Panels asked for fixed ranges ending at the newest event: one hour, one day, 30 days. */
  static final List<String> RANGE_PANELS =
      List.of(
          "kpis",
          "timeline",
          "timeline-hourly",
          "top-wikis",
          "types",
          "namespaces",
          "usual",
          "spikes",
          "page-spikes",
          "top-pages",
          "editors",
          "new-pages",
          "feed",
          "snapshot");

  static final Map<String, Duration> RANGES =
      Map.of("1h", Duration.ofHours(1), "1d", Duration.ofDays(1), "30d", Duration.ofDays(30));
  private static final int WARMUP = 5;
  private static final int REQUESTS = 40;
  private static final int RANGE_REQUESTS = 20;

  private ApiLatency() {}

  /** A store of about {@code events} events: the sample replayed, then copied forward in time. */
  static Path store(Path db, long events) throws Exception {
    Path done = db.resolveSibling(db.getFileName() + ".done");
    if (Files.exists(done)) {
      return db;
    }
    Benchmark.deleteStore(db);
    Samples.directReplay(Samples.MULTIWIKI_2026, db);
    long copies = Math.max(0, events / Samples.MULTIWIKI_EVENTS - 1);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
      try (PreparedStatement ps =
          c.prepareStatement(SqlScript.statement("duckdb", "bench/amplify"))) {
        ps.setLong(1, copies);
        ps.execute();
      }
      for (String sql : SqlScript.statements("duckdb", "merge_gold")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
            ps.setLong(i, 999999);
          }
          ps.execute();
        }
      }
      c.createStatement().execute("CHECKPOINT");
    }
    Files.writeString(done, Long.toString(events));
    return db;
  }

  static Map<String, Object> measure(Path db) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (StoreReader reader = DuckDb.openReader(db);
        DashboardServer server =
            DashboardServer.start(
                reader,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new DashboardServer.Settings(
                    "127.0.0.1",
                    0,
                    null,
                    Duration.ofSeconds(1),
                    () -> IngestState.none("benchmark")))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + server.port();
      Map<String, Integer> endpoints = new LinkedHashMap<>();
      ENDPOINTS.forEach(e -> endpoints.put(e, REQUESTS));
      String asOf = asOf(http, base);
      for (String r : List.of("1h", "1d", "30d")) {
        java.time.Instant to = java.time.Instant.parse(asOf);
        String range = "from=" + to.minus(RANGES.get(r)) + "&to=" + to;
        for (String panel : RANGE_PANELS) {
          endpoints.put("/api/" + panel + "?" + range + "#" + r, RANGE_REQUESTS);
        }
      }
      for (Map.Entry<String, Integer> entry : endpoints.entrySet()) {
        String endpoint = entry.getKey();
        int requests = entry.getValue();
        double[] ms = new double[requests];
        for (int i = -WARMUP; i < requests; i++) {
          HttpRequest req =
              HttpRequest.newBuilder(URI.create(base + endpoint.replaceFirst("#.*", "")))
                  .timeout(Duration.ofSeconds(30))
                  .build();
          long start = System.nanoTime();
          HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + r.statusCode());
          }
          if (i >= 0) {
            ms[i] = (System.nanoTime() - start) / 1e6;
          }
        }
        Arrays.sort(ms);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("p50_ms", percentile(ms, 50));
        e.put("p95_ms", percentile(ms, 95));
        out.put(label(endpoint), e);
      }
    }
    return out;
  }

  /** A ranged endpoint is named by its span ({@code /api/feed [30d]}), not its timestamps. */
  private static String label(String endpoint) {
    int hash = endpoint.indexOf('#');
    return hash < 0
        ? endpoint
        : endpoint.substring(0, endpoint.indexOf('?')) + " [" + endpoint.substring(hash + 1) + "]";
  }

  private static String asOf(HttpClient http, String base) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/kpis")).build(),
            HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.body())
        .get("asOf")
        .asText();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  @SuppressWarnings("unchecked")
  static void print(long events, Map<String, Object> r) {
    System.out.printf(Locale.ROOT, "%nAPI latency at %,d events (ms)%n", events);
    System.out.printf(Locale.ROOT, "  %-48s %8s %8s%n", "endpoint", "p50", "p95");
    List<String> slow = new ArrayList<>();
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Map<String, Object> v = (Map<String, Object>) e.getValue();
      double p95 = (double) v.get("p95_ms");
      if (p95 > 50) {
        slow.add(e.getKey());
      }
      System.out.printf(
          Locale.ROOT, "  %-48s %8.1f %8.1f%n", e.getKey(), (double) v.get("p50_ms"), p95);
    }
    System.out.println("  over the 50 ms p95 target: " + (slow.isEmpty() ? "none" : slow));
  }
}
