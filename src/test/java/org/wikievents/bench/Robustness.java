package org.wikievents.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.wikievents.load.IngestState;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.web.ApiFuzz;
import org.wikievents.web.DashboardServer;

/**
 * The dashboard under crowds and hostile clients, longer than the test suite can afford: live
 * clients that connect and drop, 1,000 live clients held (threads and RSS of this JVM, which runs
 * the server), 50 clients polling the snapshot, and a long seeded fuzz.
 */
final class Robustness {
  private static final int HELD = 1000;
  private static final int DROPS = 2000;
  private static final int POLLERS = 50;
  private static final Duration POLL_TIME = Duration.ofSeconds(30);
  private static final int FUZZ = 10_000;

  private Robustness() {}

  static Map<String, Object> measure(Path db) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    DashboardServer.Limits limits =
        new DashboardServer.Limits(2 * HELD, 4 * HELD, Duration.ofSeconds(10), List.of());
    try (StoreReader reader = DuckDb.openReader(db);
        DashboardServer server =
            DashboardServer.start(
                reader,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new DashboardServer.Settings(
                    0, null, Duration.ofSeconds(1), () -> IngestState.none("benchmark")),
                limits)) {
      int port = server.port();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      int threadsIdle = threads();

      long t0 = System.nanoTime();
      for (int i = 0; i < DROPS; i++) {
        try (Socket s = live(port)) {
          s.getInputStream().readNBytes(50);
        }
      }
      long dropMs = (System.nanoTime() - t0) / 1_000_000;
      long settled = awaitLiveClients(http, port, 0, Duration.ofSeconds(30));
      out.put("connect_drop_cycles", DROPS);
      out.put("connect_drop_seconds", dropMs / 1000.0);
      out.put("live_clients_after_drops", liveClients(http, port));
      out.put("ms_until_all_dropped_forgotten", settled);
      out.put("threads_after_drops", threads());

      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < HELD; i++) {
          Socket s = live(port);
          held.add(s);
          readHead(s.getInputStream());
        }
        awaitLiveClients(http, port, HELD, Duration.ofSeconds(60));
        out.put("live_clients_held", liveClients(http, port));
        out.put("threads_idle", threadsIdle);
        out.put("threads_at_1000_live", threads());
        out.put("rss_mb_at_1000_live", rssKb() / 1024.0);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      awaitLiveClients(http, port, 0, Duration.ofSeconds(30));

      out.put("snapshot_50_clients", pollSnapshot(http, port));

      long f0 = System.nanoTime();
      ApiFuzz.Result fuzz = ApiFuzz.run(port, 1, FUZZ, Duration.ofSeconds(5), null);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("requests", fuzz.requests());
      f.put("seconds", (System.nanoTime() - f0) / 1e9);
      f.put("by_status", fuzz.byStatus());
      f.put("failures", fuzz.failures());
      out.put("fuzz", f);
    }
    return out;
  }

  private static Socket live(int port) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(30_000);
    OutputStream o = s.getOutputStream();
    o.write(
        ("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    o.flush();
    return s;
  }

  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("live stream refused");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static Map<String, Object> pollSnapshot(HttpClient http, int port) throws Exception {
    ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> errors = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + POLL_TIME.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(POLLERS);
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/snapshot");
    for (int i = 0; i < POLLERS; i++) {
      pool.execute(
          () -> {
            while (System.nanoTime() < end) {
              long s = System.nanoTime();
              try {
                HttpResponse<byte[]> r =
                    http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                  ms.add((System.nanoTime() - s) / 1e6);
                } else {
                  errors.add(r.statusCode());
                }
              } catch (Exception e) {
                errors.add(-1);
              }
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(POLL_TIME.toSeconds() + 120, TimeUnit.SECONDS);
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("clients", POLLERS);
    r.put("seconds", POLL_TIME.toSeconds());
    r.put("requests_per_s", sorted.length / (double) POLL_TIME.toSeconds());
    r.put("p50_ms", ApiLatency.percentile(sorted, 50));
    r.put("p95_ms", ApiLatency.percentile(sorted, 95));
    r.put("errors", errors.size());
    return r;
  }

  private static int liveClients(HttpClient http, int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).get("liveClients").asInt();
  }

  /** Milliseconds until /health counts {@code n} live clients. */
  private static long awaitLiveClients(HttpClient http, int port, int n, Duration limit)
      throws Exception {
    long start = System.nanoTime();
    while (liveClients(http, port) != n) {
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new IllegalStateException("live clients never reached " + n);
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  static void print(long events, Map<String, Object> r) {
    System.out.printf(Locale.ROOT, "%nRobustness of the dashboard at %,d events%n", events);
    System.out.printf(
        Locale.ROOT,
        "  connect-read-close %d live clients in %.1f s: %d still counted, all forgotten %d ms"
            + " later, %d threads%n",
        r.get("connect_drop_cycles"),
        (double) r.get("connect_drop_seconds"),
        r.get("live_clients_after_drops"),
        r.get("ms_until_all_dropped_forgotten"),
        r.get("threads_after_drops"));
    System.out.printf(
        Locale.ROOT,
        "  live clients held: %d; threads %d (idle %d); RSS %.0f MB%n",
        r.get("live_clients_held"),
        r.get("threads_at_1000_live"),
        r.get("threads_idle"),
        (double) r.get("rss_mb_at_1000_live"));
    Map<String, Object> s = (Map<String, Object>) r.get("snapshot_50_clients");
    System.out.printf(
        Locale.ROOT,
        "  /api/snapshot, %d clients polling %d s: %.1f requests/s, p50 %.0f ms, p95 %.0f ms,"
            + " %d errors%n",
        s.get("clients"),
        s.get("seconds"),
        (double) s.get("requests_per_s"),
        (double) s.get("p50_ms"),
        (double) s.get("p95_ms"),
        s.get("errors"));
    Map<String, Object> f = (Map<String, Object>) r.get("fuzz");
    System.out.printf(
        Locale.ROOT,
        "  fuzz: %d requests in %.0f s, by status %s, failures %s%n",
        f.get("requests"),
        (double) f.get("seconds"),
        f.get("by_status"),
        f.get("failures"));
  }
}
