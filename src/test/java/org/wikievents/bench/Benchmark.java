package org.wikievents.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.wikievents.store.SqlScript;
import org.wikievents.store.duckdb.DuckDb;

/**
 * The benchmark: ingest throughput, memory and disk of {@code replay --speed max} (a real child
 * process, heap capped at 512 MB) against DuckDB's own bulk load of the same file, in the same run.
 * Prints a table and writes the figures to JSON. Run with {@code bin/benchmark}.
 *
 * <p>Arguments: {@code --sizes 1000000,5000000} (events to ingest), {@code --api-sizes
 * 1000000,10000000} (store sizes for API latency), {@code --parts
 * ingest,native,api,live,browser,viewers,robustness,parser,rss,broker,year} (what to run; {@code
 * rss}, {@code broker}, which needs RabbitMQ on 127.0.0.1:5672, and {@code year} only when named),
 * {@code --rss-marks 1000000,5000000,20000000} (RSS of {@code run} with its defaults after so many
 * events), {@code --year-days 1,30,364} (stores of generated history at the real rate, YearBench),
 * {@code --dir target/bench}.
 */
public final class Benchmark {
  private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = List.of(1_000_000L, 5_000_000L);
    Path dir = Path.of("target", "bench");
    List<String> parts =
        List.of("ingest", "native", "api", "live", "browser", "viewers", "robustness", "parser");
    List<Long> apiSizes = List.of(1_000_000L, 10_000_000L);
    List<Long> rssMarks = List.of(1_000_000L, 5_000_000L, 20_000_000L);
    List<Integer> yearDays = List.of(1, 30, 364);
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--parts")) {
        parts = List.of(args[i + 1].split(","));
      }
      if (args[i].equals("--sizes")) {
        sizes = new ArrayList<>();
        for (String s : args[i + 1].split(",")) {
          sizes.add(Long.parseLong(s.trim()));
        }
      } else if (args[i].equals("--api-sizes")) {
        apiSizes = new ArrayList<>();
        for (String s : args[i + 1].split(",")) {
          apiSizes.add(Long.parseLong(s.trim()));
        }
      } else if (args[i].equals("--rss-marks")) {
        rssMarks = new ArrayList<>();
        for (String s : args[i + 1].split(",")) {
          rssMarks.add(Long.parseLong(s.trim()));
        }
      } else if (args[i].equals("--year-days")) {
        yearDays = new ArrayList<>();
        for (String s : args[i + 1].split(",")) {
          yearDays.add(Integer.parseInt(s.trim()));
        }
      } else if (args[i].equals("--dir")) {
        dir = Path.of(args[i + 1]);
      }
    }
    Files.createDirectories(dir);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", machine());
    List<Map<String, Object>> ingest = new ArrayList<>();
    for (long n : parts.contains("ingest") ? sizes : List.<Long>of()) {
      Path input = BenchmarkInput.generate(dir.resolve("input-" + n + ".ndjson"), n);
      Map<String, Object> ours = replayInChildJvm(input, dir.resolve("ours-" + n + ".duckdb"));
      Map<String, Object> none =
          Map.of(
              "events_per_s",
              Double.NaN,
              "seconds",
              Double.NaN,
              "disk_bytes_per_event",
              Double.NaN);
      boolean ref = parts.contains("native");
      Map<String, Object> nat =
          ref ? nativeLoad(input, dir.resolve("native-" + n + ".duckdb"), "native_load") : none;
      Map<String, Object> natTable =
          ref
              ? nativeLoad(input, dir.resolve("native-table-" + n + ".duckdb"), "native_load_table")
              : none;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("events", n);
      row.put("input_bytes", Files.size(input));
      row.put("ours", ours);
      row.put("duckdb_native", nat);
      row.put("duckdb_native_bronze_table", natTable);
      row.put(
          "ratio_vs_native", (double) ours.get("events_per_s") / (double) nat.get("events_per_s"));
      row.put(
          "ratio_vs_native_bronze_table",
          (double) ours.get("events_per_s") / (double) natTable.get("events_per_s"));
      ingest.add(row);
      printIngest(row);
    }
    results.put("ingest", ingest);
    if (parts.contains("api")) {
      Map<String, Object> api = new LinkedHashMap<>();
      for (long n : apiSizes) {
        Path db = ApiLatency.store(dir.resolve("api-" + n + ".duckdb"), n);
        Map<String, Object> r = ApiLatency.measure(db);
        ApiLatency.print(n, r);
        api.put(Long.toString(n), r);
      }
      results.put("api_latency", api);
    }
    if (parts.contains("live")) {
      Map<String, Object> live = new LinkedHashMap<>();
      live.put("real_rate", LiveLatency.measure(dir, 600, 40));
      live.put("burst", LiveLatency.measure(dir, 2476, 5000));
      results.put("live_latency", live);
    }
    if (parts.contains("browser")) {
      Map<String, Object> browser = new LinkedHashMap<>();
      browser.put("real_rate", org.wikievents.web.BrowserLatency.measure(dir, 600, 40));
      browser.put("burst", org.wikievents.web.BrowserLatency.measure(dir, 2476, 5000));
      results.put("browser_latency", browser);
    }
    if (parts.contains("viewers")) {
      results.put(
          "many_viewers",
          org.wikievents.web.ManyViewers.measure(dir, 200, 20, 600, 1200, 40, 1000));
    }
    if (parts.contains("robustness")) {
      long n = 1_000_000L;
      Path db = ApiLatency.store(dir.resolve("api-" + n + ".duckdb"), n);
      Map<String, Object> r = Robustness.measure(db);
      Robustness.print(n, r);
      results.put("robustness", r);
    }
    if (parts.contains("parser")) {
      results.put("parser", parserBenchmark());
    }
    if (parts.contains("broker")) {
      results.put("broker_throughput", BrokerThroughput.measure(dir));
    }
    if (parts.contains("rss")) {
      long last = rssMarks.get(rssMarks.size() - 1);
      Path input = BenchmarkInput.generate(dir.resolve("input-" + last + ".ndjson"), last);
      results.put("run_rss", RunMemory.measure(input, dir.resolve("rss.duckdb"), rssMarks));
    }
    if (parts.contains("year")) {
      results.put("year", YearBench.measure(dir, yearDays));
    }
    Path json = dir.resolve("results.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), results);
    System.out.println("figures written to " + json);
  }

  /** JMH over the event parser: events/s and MB/s, one thread. */
  static Map<String, Object> parserBenchmark() throws Exception {
    Options opts =
        new OptionsBuilder()
            .include(ParserBenchmark.class.getName())
            .jvmArgsAppend("-cp", System.getProperty("java.class.path"))
            .build();
    RunResult r = new Runner(opts).runSingle();
    double eventsPerSecond = r.getPrimaryResult().getScore();
    double mbPerSecond = eventsPerSecond * ParserBenchmark.averageEventBytes() / 1e6;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events_per_s", eventsPerSecond);
    out.put("events_per_s_error", r.getPrimaryResult().getScoreError());
    out.put("mb_per_s", mbPerSecond);
    System.out.printf(
        Locale.ROOT,
        "%nparser (JMH, one thread): %,.0f events/s ± %,.0f, %.0f MB/s%n",
        eventsPerSecond,
        r.getPrimaryResult().getScoreError(),
        mbPerSecond);
    return out;
  }

  /** {@code replay --speed max} in a fresh JVM with a 512 MB heap, as a user would run it. */
  static Map<String, Object> replayInChildJvm(Path input, Path db) throws Exception {
    deleteStore(db);
    Path gcLog = db.resolveSibling(db.getFileName() + ".gc.log");
    Files.deleteIfExists(gcLog);
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-Xlog:gc:file=" + gcLog,
            "-cp",
            System.getProperty("java.class.path"),
            "org.wikievents.Main",
            "replay",
            input.toString(),
            "--db",
            db.toString());
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long peakRssKb = 0;
    StringBuilder out = new StringBuilder();
    Thread drain =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes()));
              } catch (IOException e) {
                out.append(e);
              }
            });
    drain.start();
    while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
      peakRssKb = Math.max(peakRssKb, vmHwmKb(p.pid()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    drain.join();
    if (p.exitValue() != 0) {
      throw new IllegalStateException("replay failed:\n" + out);
    }
    long events = storedEvents(db);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", seconds);
    r.put("events_stored", events);
    r.put("events_per_s", events / seconds);
    r.put("peak_heap_mb", peakHeapMb(gcLog));
    r.put("peak_rss_mb", peakRssKb / 1024.0);
    r.put("disk_bytes_per_event", (double) storeBytes(db) / events);
    r.put("summary", out.toString().strip().lines().reduce((a, b) -> b).orElse(""));
    return r;
  }

  /**
   * DuckDB's own NDJSON reader into the same tables, through the JDBC driver: {@code script} is
   * {@code native_load} (bronze as a zstd NDJSON file, like ours) or {@code native_load_table}
   * (bronze as a DuckDB table).
   */
  static Map<String, Object> nativeLoad(Path input, Path db, String script) throws Exception {
    deleteStore(db);
    DuckDb.open(db).close();
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
      Path bronze = db.resolveSibling(db.getFileName() + ".bronze").resolve("native.ndjson.zst");
      List<String> statements = new ArrayList<>(SqlScript.statements("duckdb", "bench/" + script));
      statements.addAll(SqlScript.statements("duckdb", "bench/native_silver"));
      for (String sql : statements) {
        sql = sql.replace("{bronze}", "'" + bronze + "'");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (ps.getParameterMetaData().getParameterCount() == 1) {
            ps.setString(1, input.toString());
          }
          ps.execute();
        }
      }
      for (String sql : SqlScript.statements("duckdb", "merge_gold")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
            ps.setLong(i, 1);
          }
          ps.execute();
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long events = storedEvents(db);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", seconds);
    r.put("events_stored", events);
    r.put("events_per_s", events / seconds);
    r.put("disk_bytes_per_event", (double) storeBytes(db) / events);
    return r;
  }

  private static long storedEvents(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM wiki")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The database file, its log and its bronze folder. */
  private static long storeBytes(Path db) throws IOException {
    Path wal = db.resolveSibling(db.getFileName() + ".wal");
    long bytes = Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0);
    try (Stream<Path> bronze = Files.list(db.resolveSibling(db.getFileName() + ".bronze"))) {
      for (Path f : (Iterable<Path>) bronze::iterator) {
        bytes += Files.size(f);
      }
    }
    return bytes;
  }

  static void deleteStore(Path db) throws IOException {
    Files.deleteIfExists(db);
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".wal"));
    Path bronze = db.resolveSibling(db.getFileName() + ".bronze");
    if (Files.isDirectory(bronze)) {
      try (Stream<Path> files = Files.list(bronze)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(bronze);
    }
  }

  /** The highest heap occupancy any GC saw before collecting. */
  private static double peakHeapMb(Path gcLog) throws IOException {
    long peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC_PAUSE.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, Long.parseLong(m.group(1)));
      }
    }
    return peak;
  }

  private static long vmHwmKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended between two looks.
    }
    return 0;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    try {
      m.put("load_average_at_start", Files.readString(Path.of("/proc/loadavg")).strip());
    } catch (IOException e) {
      m.put("load_average_at_start", "unknown");
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static void printIngest(Map<String, Object> row) {
    Map<String, Object> o = (Map<String, Object>) row.get("ours");
    Map<String, Object> n = (Map<String, Object>) row.get("duckdb_native");
    Map<String, Object> t = (Map<String, Object>) row.get("duckdb_native_bronze_table");
    System.out.printf(
        Locale.ROOT,
        "%n%,d events (%.0f MB of NDJSON)%n"
            + "  %-22s %12s %10s %14s %13s %12s%n"
            + "  %-22s %,12.0f %9.1fs %14.0f %13.0f %12.0f%n"
            + "  %-22s %,12.0f %9.1fs %14s %13s %12.0f%n"
            + "  %-22s %,12.0f %9.1fs %14s %13s %12.0f%n"
            + "  ours / native: %.2fx (bronze as files, as ours), %.2fx (bronze as a table)%n",
        (long) row.get("events"),
        (long) row.get("input_bytes") / 1e6,
        "",
        "events/s",
        "time",
        "peak heap MB",
        "peak RSS MB",
        "disk B/event",
        "wiki-events replay",
        (double) o.get("events_per_s"),
        (double) o.get("seconds"),
        (double) o.get("peak_heap_mb"),
        (double) o.get("peak_rss_mb"),
        (double) o.get("disk_bytes_per_event"),
        "DuckDB native, files",
        (double) n.get("events_per_s"),
        (double) n.get("seconds"),
        "-",
        "-",
        (double) n.get("disk_bytes_per_event"),
        "DuckDB native, table",
        (double) t.get("events_per_s"),
        (double) t.get("seconds"),
        "-",
        "-",
        (double) t.get("disk_bytes_per_event"),
        (double) row.get("ratio_vs_native"),
        (double) row.get("ratio_vs_native_bronze_table"));
  }
}
