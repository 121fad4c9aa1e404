package org.wikievents.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.wikievents.store.EventStore;
import org.wikievents.store.Expired;
import org.wikievents.store.Retention;
import org.wikievents.store.duckdb.DuckDb;

/**
 * Benchmark part {@code year}: stores of generated history at the real rate (YearStore), and on
 * each the API latency of every panel (ApiLatency), its size, the start-up time of {@code run} and
 * the time of one retention pass.
 */
final class YearBench {
  private YearBench() {}

  /**
   * @param days the history of each store, in days (1, 30, 364 ...)
   */
  static Map<String, Object> measure(Path dir, List<Integer> days) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int d : days) {
      int silver = Math.min(d, (int) Retention.defaults().silver().toDays());
      Path db = dir.resolve("year-" + d + "d.duckdb");
      System.out.printf(
          Locale.ROOT,
          "%nstore of %d days of history at %.0f events/s, the newest %d of them with silver%n",
          d,
          YearGenerator.REAL_RATE,
          silver);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("build", YearStore.build(db, d, silver));
      Map<String, Object> shape = YearStore.describe(db);
      r.put("store", shape);
      print(shape);
      Map<String, Object> api = ApiLatency.measure(db);
      ApiLatency.print((long) shape.get("history_events"), api);
      r.put("api_latency", api);
      Map<String, Object> startup = runStartup(dir, db);
      r.put("run_startup", startup);
      System.out.printf(
          Locale.ROOT,
          "  run --replay (a few events after the store's newest) on this store: dashboard up"
              + " after %.1f s, replay done after %.1f s%n",
          (double) startup.get("dashboard_seconds"),
          (double) startup.get("replay_done_seconds"));
      Map<String, Object> pass = retentionPass(db, silver);
      r.put("retention_pass", pass);
      System.out.printf(
          Locale.ROOT,
          "  retention pass: %.2f s expiring %,d silver rows (the oldest %s of silver, %d hourly"
              + " units) and %,d per-minute rows; then a pass with nothing to do: %.3f s%n",
          (double) pass.get("pass_seconds"),
          (long) pass.get("silver_rows"),
          pass.get("expired_span"),
          (long) pass.get("units"),
          (long) pass.get("minutely_rows"),
          (double) pass.get("idle_pass_seconds"));
      out.put(d + "d", r);
    }
    return out;
  }

  private static void print(Map<String, Object> s) {
    System.out.printf(
        Locale.ROOT,
        "  %,d events of history; silver %,d rows from %s to %s (%,d distinct titles, %,d users,"
            + " %d wikis, bots %.0f %%, anonymous %.1f %%); gold rows: minute detail %,d, hour"
            + " detail %,d, day detail %,d%n"
            + "  store on disk %.2f GB: %.1f bytes per event of history%n",
        (long) s.get("history_events"),
        (long) s.get("wiki_rows"),
        s.get("silver_from"),
        s.get("silver_to"),
        (long) s.get("silver_distinct_titles"),
        (long) s.get("silver_distinct_users"),
        (long) s.get("silver_wikis"),
        100 * (double) s.get("silver_bot_share"),
        100 * (double) s.get("silver_anon_share"),
        (long) s.get("wiki_minutely_detail_rows"),
        (long) s.get("wiki_hourly_detail_rows"),
        (long) s.get("wiki_daily_detail_rows"),
        (long) s.get("store_bytes") / 1e9,
        (double) s.get("bytes_per_event_of_history"));
  }

  /**
   * {@code run --replay} of a few seconds of generated events just after the store's newest, in a
   * JVM of its own as an operator starts it: seconds until the dashboard is up (the store opened,
   * its layout checked, the schema script run) and until the replay is done (the first batch
   * committed and retention run after it).
   */
  static Map<String, Object> runStartup(Path dir, Path db) throws Exception {
    Path replay = dir.resolve("year-startup.ndjson");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      YearGenerator g = new YearGenerator(c, YearStore.SEED + 1, YearGenerator.REAL_RATE);
      g.slots(YearStore.END, YearStore.END.plusSeconds(60));
      g.writeNdjson(replay);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("year-startup.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.wikievents.Main");
    cmd.addAll(
        List.of(
            "run",
            "--replay",
            replay.toString(),
            "--speed",
            "max",
            "--db",
            db.toString(),
            "--port",
            Integer.toString(port)));
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    double dashboard = Double.NaN;
    double done = Double.NaN;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    try {
      while (Double.isNaN(done)) {
        String out = Files.readString(log);
        double s = (System.nanoTime() - start) / 1e9;
        if (Double.isNaN(dashboard) && out.contains("dashboard on")) {
          dashboard = s;
        }
        if (out.contains("replay done")) {
          done = s;
        }
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("run did not finish its replay:\n" + out);
        }
        Thread.sleep(20);
      }
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("dashboard_seconds", dashboard);
    r.put("replay_done_seconds", done);
    return r;
  }

  /**
   * One retention pass as the loader runs it (DuckDbStore.expire), with a silver window a day
   * shorter than what the store holds (an hour for a one-day store), so the pass has a day's expiry
   * to do, as after a day of downtime; then a pass with nothing left to do.
   */
  static Map<String, Object> retentionPass(Path db, int silverDays) throws IOException, Exception {
    Duration window = silverDays > 1 ? Duration.ofDays(silverDays - 1) : Duration.ofHours(23);
    Retention retention = new Retention(window, Retention.defaults().minutely());
    Map<String, Object> r = new LinkedHashMap<>();
    try (EventStore store = DuckDb.open(db)) {
      long t0 = System.nanoTime();
      Expired e = store.expire(retention, Duration.ofHours(1));
      long t1 = System.nanoTime();
      Expired idle = store.expire(retention, Duration.ofHours(1));
      long t2 = System.nanoTime();
      r.put("silver_window", window.toString());
      r.put("expired_span", silverDays > 1 ? "day" : "hour");
      r.put("units", silverDays > 1 ? 24L : 1L);
      r.put("pass_seconds", (t1 - t0) / 1e9);
      r.put("silver_rows", e.silverRows());
      r.put("minutely_rows", e.minutelyRows());
      r.put("idle_pass_seconds", (t2 - t1) / 1e9);
      r.put("idle_silver_rows", idle.silverRows());
    }
    return r;
  }
}
