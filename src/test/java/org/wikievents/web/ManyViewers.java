package org.wikievents.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;
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
 * Many viewers of one dashboard, in one process with what {@code run} wires, the server with its
 * default {@link DashboardServer.Limits} (1,000 live streams, 64 connections per client address).
 *
 * <p>The store is first seeded with the start of the sample, so the wikis the filters name are
 * known (a {@code wiki=} the store has never seen is a 400, by design). Then {@code clients} live
 * streams over {@code filters} filters (one without a filter, the busiest wikis of the played part)
 * while the loopback SSE server plays the next {@code events} of the sample at {@code perSecond}:
 * each feed row is timed from the server's write to each client's receipt, per client, with the
 * bytes each client received, the CPU, threads and RSS of the process. Then {@code idle} open live
 * streams against the latency of {@code /health} and {@code /api/kpis}, and one stream beyond the
 * cap, which must be answered 503 with {@code Retry-After}.
 *
 * <p>All clients are in this process, on loopback. So that the per-address cap (a defence against
 * one client holding the server's connections) applies as it would to viewers on many machines, the
 * streams come from several loopback source addresses (127.0.10.x for the live clients, 127.0.20.x
 * for the idle ones, {@link #PER_ADDRESS} each), not all from 127.0.0.1.
 */
public final class ManyViewers {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Streams per loopback source address: under the default cap of 64 per client address. */
  static final int PER_ADDRESS = 50;

  private static final double TARGET_MS = 250;

  private ManyViewers() {}

  public static Map<String, Object> measure(
      Path dir, int clients, int filters, int seed, int events, int perSecond, int idle)
      throws Exception {
    List<String> sample = RecordedEventServer.sample("recentchange-2026-05-05-multiwiki");
    List<String> seedLines = sample.subList(0, seed);
    List<String> lines = sample.subList(seed, seed + events);
    Set<String> seedWikis = new HashSet<>();
    for (String l : seedLines) {
      seedWikis.add(JSON.readTree(l).path("wiki").asText());
    }
    // Rows are known by wiki and revision; the played events, by position.
    Map<String, Integer> byKey = new HashMap<>();
    Map<String, Integer> perWiki = new HashMap<>();
    String[] wikiOf = new String[events];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode e = JSON.readTree(lines.get(i));
      wikiOf[i] = e.path("wiki").asText();
      JsonNode rev = e.path("revision").path("new");
      if (rev.isNumber() && byKey.putIfAbsent(wikiOf[i] + "|" + rev.asLong(), i) == null) {
        // The busiest wikis by rows this benchmark can time (log events have no revision).
        perWiki.merge(wikiOf[i], 1, Integer::sum);
      }
    }
    List<String> queries = new ArrayList<>();
    queries.add("");
    perWiki.entrySet().stream()
        .filter(e -> seedWikis.contains(e.getKey()))
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(filters - 1)
        .forEach(e -> queries.add("?wiki=" + e.getKey()));
    Path db = dir.resolve("viewers.duckdb");
    BrowserLatency.deleteStore(db);
    Map<String, Object> r = new LinkedHashMap<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(10_000);
    dispatcher.setMaxRequestsPerHost(10_000);
    OkHttpClient http =
        new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(Duration.ZERO).build();
    long[] emitted = new long[events];
    long[] committed = new long[events];
    List<EventSource> open = new ArrayList<>();
    try (EventStore store = DuckDb.open(db)) {
      seedStore(store, seedLines);
      try (RecordedEventServer feed = RecordedEventServer.start(lines);
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
                      () -> IngestState.none("benchmark")),
                  DashboardServer.Limits.DEFAULT)) {
        String base = "http://127.0.0.1:" + dashboard.port();
        HttpClient plain = HttpClient.newHttpClient();
        for (String q : queries) {
          int status = get(plain, base + "/api/kpis" + q).statusCode();
          if (status != 200) {
            throw new IllegalStateException("the dashboard answers " + status + " to " + q);
          }
        }
        r.put("max_live_clients", DashboardServer.Limits.DEFAULT.maxLiveClients());
        r.put(
            "max_connections_per_address",
            DashboardServer.Limits.DEFAULT.maxConnectionsPerClient());
        r.put("streams_per_source_address", PER_ADDRESS);
        r.put("seeded_events", seed);
        Map<String, Object> before = processFigures();

        // 1. Live clients at the real rate.
        feed.pace(Duration.ofNanos(1_000_000_000L / perSecond));
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          String q = queries.get(i % queries.size());
          String wiki = q.isEmpty() ? null : q.substring("?wiki=".length());
          Set<Integer> expected = new HashSet<>();
          for (int p : byKey.values()) {
            if (wiki == null || wiki.equals(wikiOf[p])) {
              expected.add(p);
            }
          }
          Viewer v = new Viewer(q, expected, byKey);
          viewers.add(v);
          open.add(
              EventSources.createFactory(from(http, "127.0.10." + (1 + i / PER_ADDRESS)))
                  .newEventSource(new Request.Builder().url(base + "/api/live" + q).build(), v));
        }
        waitFor(
            () -> viewers.stream().allMatch(v -> v.snapshot || v.failure != null),
            Duration.ofSeconds(120));
        Thread watch = new Thread(() -> watch(feed, emitted), "watch-feed");
        watch.setDaemon(true);
        watch.start();
        viewers.forEach(v -> v.timing = true);
        Map<Long, ThreadCpu> cpuBefore = threadCpu();
        long processCpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Pipeline pipeline =
            Pipeline.start(
                BrowserLatency.source(feed),
                new MemoryQueue(20_000),
                store,
                Loader.Settings.defaults(),
                registry);
        int[] commits = new int[2];
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
                  commits[1]++;
                });
        pipeline.loader().onCommit(c -> dashboard.storeChanged());
        waitFor(
            () -> pipeline.loader().totals().received() >= events,
            Duration.ofSeconds(events / perSecond + 120));
        // The last updates reach the clients: all rows in, or nothing new for 3 s.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline
            && !viewers.stream().allMatch(v -> v.failure != null || v.complete())
            && System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
          long now = viewers.stream().mapToLong(Viewer::rows).sum();
          if (now != seen) {
            seen = now;
            quietSince = System.nanoTime();
          }
          TimeUnit.MILLISECONDS.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Long, ThreadCpu> cpuAfter = threadCpu();
        Map<String, Double> cores = cores(cpuBefore, cpuAfter, seconds);
        Map<String, Double> byThread = dashboardByName(cpuBefore, cpuAfter, seconds);
        r.put("dashboard_cores_by_thread", byThread);
        r.put("commits", commits[1]);
        // The feed thread's work per commit: each filter's new rows read and sent to its clients.
        r.put(
            "feed_thread_cpu_ms_per_commit",
            byThread.getOrDefault("dashboard-live", 0.0)
                * seconds
                * 1000
                / Math.max(1, commits[1]));
        double process = (processCpuNanos() - processCpuBefore) / 1e9 / seconds;
        cores.put(
            "native", Math.max(0, process - cores.values().stream().mapToDouble(d -> d).sum()));
        cores.put("process", process);
        Map<String, Object> during = processFigures();
        pipeline.close();
        viewers.forEach(v -> v.timing = false);
        open.forEach(EventSource::cancel);
        open.clear();
        liveResults(
            r,
            viewers,
            emitted,
            committed,
            queries.size(),
            perSecond,
            seconds,
            cores,
            before,
            during);

        // 2. Idle streams, once the server has let go of the live ones.
        long letGo = System.nanoTime();
        waitFor(() -> liveClients(plain, base) == 0, Duration.ofSeconds(60));
        r.put("live_streams_released_s", (System.nanoTime() - letGo) / 1e9);
        Map<Long, ThreadCpu> quietCpuBefore = threadCpu();
        long quietStart = System.nanoTime();
        Map<String, Object> quiet = latency(plain, base);
        Map<String, Double> quietCores =
            cores(quietCpuBefore, threadCpu(), (System.nanoTime() - quietStart) / 1e9);
        AtomicInteger idleOpen = new AtomicInteger();
        AtomicInteger idleSnapshots = new AtomicInteger();
        AtomicInteger idleFailed = new AtomicInteger();
        Map<String, Integer> idleReasons = new ConcurrentHashMap<>();
        for (int i = 0; i < idle; i++) {
          open.add(
              EventSources.createFactory(from(http, "127.0.20." + (1 + i / PER_ADDRESS)))
                  .newEventSource(
                      new Request.Builder().url(base + "/api/live").build(),
                      new EventSourceListener() {
                        @Override
                        public void onOpen(EventSource s, Response resp) {
                          idleOpen.incrementAndGet();
                        }

                        @Override
                        public void onEvent(EventSource s, String id, String type, String data) {
                          if (type.equals("snapshot")) {
                            idleSnapshots.incrementAndGet();
                          }
                        }

                        @Override
                        public void onFailure(EventSource s, Throwable t, Response resp) {
                          idleFailed.incrementAndGet();
                          idleReasons.merge(reason(t, resp), 1, Integer::sum);
                        }
                      }));
        }
        waitFor(() -> idleSnapshots.get() + idleFailed.get() >= idle, Duration.ofSeconds(120));
        int opened = idleOpen.get();
        int refused = idleFailed.get();
        int serverCount = liveClients(plain, base);
        Map<Long, ThreadCpu> idleCpuBefore = threadCpu();
        long idleStart = System.nanoTime();
        Map<String, Object> busy = latency(plain, base);
        Map<String, Double> idleCores =
            cores(idleCpuBefore, threadCpu(), (System.nanoTime() - idleStart) / 1e9);
        Map<String, Object> withIdle = processFigures();
        Map<String, Object> beyond = beyondCap(plain, base);
        Map<String, Integer> idleRefusals = new TreeMap<>(idleReasons);
        open.forEach(EventSource::cancel);
        r.put("idle_connections", idle);
        r.put("idle_connections_open", opened);
        r.put("idle_snapshots_received", idleSnapshots.get());
        r.put("idle_connections_refused", refused);
        r.put("idle_refusal_reasons", idleRefusals);
        r.put("live_clients_per_server", serverCount);
        r.put("without_idle", quiet);
        r.put("with_idle", busy);
        r.put("without_idle_dashboard_cores", quietCores.get("dashboard"));
        r.put("with_idle_dashboard_cores", idleCores.get("dashboard"));
        r.put("with_idle_process", withIdle);
        r.put("beyond_cap", beyond);
        System.out.printf(
            Locale.ROOT,
            "%n%,d idle live connections (%d open with their snapshot, %d refused: %s; the server"
                + " counts %d): /health p50/p95 %.1f/%.1f ms -> %.1f/%.1f ms, /api/kpis p50/p95"
                + " %.1f/%.1f ms -> %.1f/%.1f ms (timed out at 5 s with them: %s); dashboard"
                + " threads %s, %.3f cores while timed (%.3f without them); process %s threads, RSS %s MB; one more stream: %s%n",
            idle,
            idleSnapshots.get(),
            refused,
            r.get("idle_refusal_reasons"),
            serverCount,
            (double) quiet.get("health_p50_ms"),
            (double) quiet.get("health_p95_ms"),
            (double) busy.get("health_p50_ms"),
            (double) busy.get("health_p95_ms"),
            (double) quiet.get("kpis_p50_ms"),
            (double) quiet.get("kpis_p95_ms"),
            (double) busy.get("kpis_p50_ms"),
            (double) busy.get("kpis_p95_ms"),
            busy.get("health_timed_out_after_5s") + "+" + busy.get("kpis_timed_out_after_5s"),
            withIdle.get("dashboard_threads"),
            idleCores.get("dashboard"),
            quietCores.get("dashboard"),
            withIdle.get("threads"),
            withIdle.get("rss_mb"),
            beyond);
      }
    } finally {
      dispatcher.executorService().shutdownNow();
      http.connectionPool().evictAll();
    }
    return r;
  }

  /** The start of the sample, loaded before anyone connects: the filters' wikis are known. */
  private static void seedStore(EventStore store, List<String> seedLines) throws Exception {
    try (RecordedEventServer seedFeed = RecordedEventServer.start(seedLines)) {
      Pipeline p =
          Pipeline.start(
              BrowserLatency.source(seedFeed),
              new MemoryQueue(20_000),
              store,
              Loader.Settings.defaults(),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      waitFor(() -> p.loader().totals().received() >= seedLines.size(), Duration.ofSeconds(120));
      p.close();
      if (p.loader().totals().stored() == 0) {
        throw new IllegalStateException("the store was not seeded");
      }
    }
  }

  private static void liveResults(
      Map<String, Object> r,
      List<Viewer> viewers,
      long[] emitted,
      long[] committed,
      int filters,
      int perSecond,
      double seconds,
      Map<String, Double> cores,
      Map<String, Object> before,
      Map<String, Object> during) {
    List<Double> all = new ArrayList<>();
    List<Double> fromCommit = new ArrayList<>();
    List<Double> clientP95 = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, Map<String, Object>> byFilter = new LinkedHashMap<>();
    int failed = 0;
    int missing = 0;
    int withinTarget = 0;
    double bytesAll = 0;
    double bytesMax = 0;
    double bytesUnfiltered = 0;
    int unfiltered = 0;
    for (Viewer v : viewers) {
      if (v.failure != null) {
        failed++;
        reasons.merge(v.failure, 1, Integer::sum);
      }
      double[] ms = v.sorted(emitted);
      for (double m : ms) {
        all.add(m);
      }
      for (double m : v.sorted(committed)) {
        fromCommit.add(m);
      }
      double p95 = BrowserLatency.percentile(ms, 95);
      if (!v.expected.isEmpty()) {
        clientP95.add(ms.length == 0 ? Double.POSITIVE_INFINITY : p95);
      }
      if ((ms.length == 0 || p95 <= TARGET_MS) && v.complete()) {
        withinTarget++;
      }
      missing += v.expected.size() - v.rows();
      double bps = v.bytes / seconds;
      bytesAll += bps;
      bytesMax = Math.max(bytesMax, bps);
      if (v.query.isEmpty()) {
        bytesUnfiltered += bps;
        unfiltered++;
      }
      Map<String, Object> f =
          byFilter.computeIfAbsent(
              v.query.isEmpty() ? "(none)" : v.query.substring(1), k -> new LinkedHashMap<>());
      f.put("clients", (int) f.getOrDefault("clients", 0) + 1);
      f.put("rows_expected", v.expected.size());
      f.put(
          "rows_received_min",
          Math.min((int) f.getOrDefault("rows_received_min", 1 << 30), v.rows()));
      f.put("p50_ms", BrowserLatency.percentile(ms, 50));
      f.put("p95_ms_max", Math.max((double) f.getOrDefault("p95_ms_max", 0.0), p95));
      f.put("bytes_per_s", bps);
    }
    double[] ms = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] committedMs = fromCommit.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] p95s = clientP95.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    r.put("clients", viewers.size());
    r.put("filters", filters);
    r.put("events_per_s", perSecond);
    r.put("seconds", seconds);
    r.put("client_failures", failed);
    r.put("client_failure_reasons", reasons);
    r.put("rows_received", ms.length);
    r.put("rows_missing", missing);
    r.put("p50_ms", BrowserLatency.percentile(ms, 50));
    r.put("p95_ms", BrowserLatency.percentile(ms, 95));
    r.put("max_ms", ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
    r.put("committed_to_client_p50_ms", BrowserLatency.percentile(committedMs, 50));
    r.put("committed_to_client_p95_ms", BrowserLatency.percentile(committedMs, 95));
    r.put("client_p95_ms_median", BrowserLatency.percentile(p95s, 50));
    r.put("client_p95_ms_worst", p95s.length == 0 ? Double.NaN : p95s[p95s.length - 1]);
    r.put("clients_within_target", withinTarget);
    r.put("bytes_per_s_per_client_mean", bytesAll / viewers.size());
    r.put("bytes_per_s_per_client_unfiltered", unfiltered == 0 ? 0 : bytesUnfiltered / unfiltered);
    r.put("bytes_per_s_per_client_max", bytesMax);
    r.put("cores", cores);
    r.put("before_clients", before);
    r.put("during", during);
    r.put("by_filter", byFilter);
    System.out.printf(
        Locale.ROOT,
        "%nmany viewers: %d live clients over %d filters at %d events/s (%.0f s): feed row from the"
            + " SSE server to each client p50 %.0f ms, p95 %.0f ms, max %.0f ms (%,d rows, %d"
            + " missing; %d clients failed: %s), of which from the commit to the client p50 %.0f"
            + " ms, p95 %.0f ms; per client p95: median %.0f ms, worst %.0f ms,"
            + " %d of %d clients within %.0f ms with every row; bytes/s per client: mean %,.0f,"
            + " unfiltered %,.0f, max %,.0f; cores: dashboard threads %.2f, client threads %.2f,"
            + " loader and the rest %.2f, native (DuckDB workers for both, GC, JIT) %.2f, whole"
            + " process %.2f; threads: dashboard %s, process %s (before the clients %s);"
            + " RSS %s MB (before %s MB)%n",
        viewers.size(),
        filters,
        perSecond,
        seconds,
        (double) r.get("p50_ms"),
        (double) r.get("p95_ms"),
        (double) r.get("max_ms"),
        ms.length,
        missing,
        failed,
        reasons,
        (double) r.get("committed_to_client_p50_ms"),
        (double) r.get("committed_to_client_p95_ms"),
        (double) r.get("client_p95_ms_median"),
        (double) r.get("client_p95_ms_worst"),
        withinTarget,
        viewers.size(),
        TARGET_MS,
        (double) r.get("bytes_per_s_per_client_mean"),
        (double) r.get("bytes_per_s_per_client_unfiltered"),
        bytesMax,
        cores.get("dashboard"),
        cores.get("clients"),
        cores.get("other"),
        cores.get("native"),
        cores.get("process"),
        during.get("dashboard_threads"),
        during.get("threads"),
        before.get("threads"),
        during.get("rss_mb"),
        before.get("rss_mb"));
    System.out.printf(
        Locale.ROOT,
        "  dashboard cores by thread: %s; %d commits, the feed thread %.0f ms of CPU per commit%n",
        r.get("dashboard_cores_by_thread"),
        (int) r.get("commits"),
        (double) r.get("feed_thread_cpu_ms_per_commit"));
    byFilter.forEach(
        (k, f) ->
            System.out.printf(
                Locale.ROOT,
                "  %-14s %2d clients, %4d rows (least received %4d), p50 %5.0f ms, worst p95 %5.0f"
                    + " ms, %,7.0f bytes/s%n",
                k,
                (int) f.get("clients"),
                (int) f.get("rows_expected"),
                (int) f.get("rows_received_min"),
                (double) f.get("p50_ms"),
                (double) f.get("p95_ms_max"),
                (double) f.get("bytes_per_s")));
  }

  /** One live client: what it should get, when each row came, and what it cost on the wire. */
  private static final class Viewer extends EventSourceListener {
    final String query;
    final Set<Integer> expected;
    private final Map<String, Integer> byKey;
    private final Map<Integer, Long> got = new HashMap<>();
    volatile boolean snapshot;
    volatile boolean timing;
    volatile String failure;
    volatile long bytes;

    Viewer(String query, Set<Integer> expected, Map<String, Integer> byKey) {
      this.query = query;
      this.expected = expected;
      this.byKey = byKey;
    }

    @Override
    public void onEvent(EventSource s, String id, String type, String data) {
      long now = System.currentTimeMillis();
      if (type.equals("snapshot")) {
        snapshot = true;
        return;
      }
      if (timing) {
        // The event as it was on the wire: one data line (JSON has no raw newlines).
        bytes += 7 + type.length() + 7 + utf8Length(data) + 2;
      }
      try {
        JsonNode feed = JSON.readTree(data).get("feed");
        if (feed == null) {
          return;
        }
        List<String> cols = new ArrayList<>();
        feed.get("columns").forEach(c -> cols.add(c.asText()));
        int wiki = cols.indexOf("wiki");
        int rev = cols.indexOf("revision_new");
        synchronized (this) {
          for (JsonNode row : feed.get("rows")) {
            Integer i = byKey.get(row.get(wiki).asText() + "|" + row.get(rev).asLong());
            if (i != null) {
              got.putIfAbsent(i, now);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // Not an update this benchmark reads.
      }
    }

    @Override
    public void onFailure(EventSource s, Throwable t, Response resp) {
      if (timing || !snapshot) {
        failure = reason(t, resp);
      }
    }

    synchronized int rows() {
      return got.size();
    }

    synchronized boolean complete() {
      return got.keySet().containsAll(expected);
    }

    /** Each row's arrival after its time in {@code since} (written, committed), sorted. */
    synchronized double[] sorted(long[] since) {
      return got.entrySet().stream()
          .filter(e -> since[e.getKey()] > 0)
          .mapToDouble(e -> Math.max(0, e.getValue() - since[e.getKey()]))
          .sorted()
          .toArray();
    }
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static final Map<String, OkHttpClient> BY_ADDRESS = new ConcurrentHashMap<>();

  /** The same client (one dispatcher), its connections made from {@code address}. */
  private static OkHttpClient from(OkHttpClient http, String address) throws IOException {
    InetAddress local = InetAddress.getByName(address);
    return BY_ADDRESS.computeIfAbsent(
        address + "@" + System.identityHashCode(http),
        k -> http.newBuilder().socketFactory(new BoundSockets(local)).build());
  }

  /** Sockets bound to one local address before they connect. */
  private static final class BoundSockets extends SocketFactory {
    private final InetAddress local;

    BoundSockets(InetAddress local) {
      this.local = local;
    }

    @Override
    public Socket createSocket() throws IOException {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(local, 0));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return createSocket(host, port);
    }
  }

  private static HttpResponse<Void> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** The live streams the server holds, from {@code /health}; -1 when it does not say. */
  private static int liveClients(HttpClient http, String base) {
    try {
      HttpResponse<String> h =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(h.body()).path("liveClients").asInt(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** One more live stream than the server holds: its status and {@code Retry-After}. */
  private static Map<String, Object> beyondCap(HttpClient http, String base) throws Exception {
    HttpResponse<InputStream> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/live"))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    resp.body().close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", resp.statusCode());
    out.put("retry_after", resp.headers().firstValue("Retry-After").orElse(null));
    return out;
  }

  private static Map<String, Object> latency(HttpClient http, String base) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    for (String path : List.of("/health", "/api/kpis")) {
      double[] ms = new double[40];
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

  private record ThreadCpu(String group, String name, long nanos) {}

  /**
   * Which part of this process a thread belongs to: the dashboard (web server, live stream, store
   * reads), the benchmark's clients, or the rest (loader, feed server, JVM).
   */
  private static String group(String name) {
    if (name.startsWith("dashboard-live")
        || name.startsWith("duckdb-reader")
        || name.contains("Jetty")
        || name.startsWith("qtp")) {
      return "dashboard";
    }
    return name.startsWith("OkHttp") ? "clients" : "other";
  }

  private static Map<Long, ThreadCpu> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, ThreadCpu> out = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        out.put(
            t.getThreadId(),
            new ThreadCpu(
                group(t.getThreadName()),
                shortName(t.getThreadName()),
                mx.getThreadCpuTime(t.getThreadId())));
      }
    }
    return out;
  }

  /**
   * Cores used per group of Java threads. DuckDB's own worker threads and the JVM's GC are native,
   * in none of them: the process total counts them.
   */
  private static Map<String, Double> cores(
      Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, double seconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String g : List.of("dashboard", "clients", "other")) {
      out.put(g, 0.0);
    }
    for (Map.Entry<Long, ThreadCpu> e : after.entrySet()) {
      ThreadCpu was = before.get(e.getKey());
      long ns = Math.max(0, e.getValue().nanos() - (was == null ? 0 : was.nanos()));
      out.merge(e.getValue().group(), ns / 1e9 / seconds, Double::sum);
    }
    return out;
  }

  /** A thread's name without its number; Jetty's acceptor without its connector. */
  private static String shortName(String name) {
    return name.contains("acceptor") ? "jetty-acceptor" : name.replaceAll("[-#]?\\d+$", "");
  }

  /** Cores used by the dashboard's threads, by name (numbers dropped). */
  private static Map<String, Double> dashboardByName(
      Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, double seconds) {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<Long, ThreadCpu> e : after.entrySet()) {
      if (e.getValue().group().equals("dashboard")) {
        ThreadCpu was = before.get(e.getKey());
        long ns = Math.max(0, e.getValue().nanos() - (was == null ? 0 : was.nanos()));
        out.merge(e.getValue().name(), Math.round(ns / 1e9 / seconds * 1000) / 1000.0, Double::sum);
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Threads (all, and the dashboard's) and resident memory of this process now. */
  private static Map<String, Object> processFigures() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Integer> threads = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      threads.merge(group(t.getName()), 1, Integer::sum);
    }
    out.put("threads", threads.values().stream().mapToInt(Integer::intValue).sum());
    out.put("dashboard_threads", threads.getOrDefault("dashboard", 0));
    out.put("client_threads", threads.getOrDefault("clients", 0));
    long rssKb = -1;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rssKb = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    out.put("rss_mb", rssKb < 0 ? -1 : rssKb / 1024);
    Runtime rt = Runtime.getRuntime();
    out.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
    return out;
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

  private static void waitFor(BooleanSupplier done, Duration timeout) throws InterruptedException {
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
    return t == null
        ? "closed by the server"
        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
