package org.wikievents.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wikievents.store.Retention;
import org.wikievents.store.SqlScript;
import org.wikievents.store.duckdb.DuckDb;

/**
 * Stores of a day, a month and a year of generated history at the real rate (35 events/s), built as
 * the loader would build them but fast: each day of events goes into silver in one statement
 * (YearGenerator), then the loader's own merge_gold.sql adds that day to gold as one batch, and the
 * loader's own expiry statements (expire_silver.sql, expire_minutely.sql, record_retention.sql)
 * apply the default retention as the day closes. Days older than silver's window go in with only
 * the columns gold reads, since retention takes them out again at once; gold is the same either
 * way.
 */
final class YearStore {
  /** The newest event of every generated store: fixed, so a seed gives the same store. */
  static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

  static final long SEED = 20261201L;

  private YearStore() {}

  /**
   * Builds (or reuses) a store of {@code days} days ending at {@link #END}, the newest {@code
   * silverDays} of them with full silver rows; prints progress. Returns the build's figures.
   */
  static Map<String, Object> build(Path db, int days, int silverDays) throws Exception {
    Path done = db.resolveSibling(db.getFileName() + ".done");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("days", days);
    r.put("full_silver_days", Math.min(days, silverDays));
    if (Files.exists(done)) {
      r.put("events_generated", Long.parseLong(Files.readString(done).strip()));
      r.put("build_seconds", Double.NaN);
      r.put("reused", true);
      return r;
    }
    Benchmark.deleteStore(db);
    Files.createDirectories(db.toAbsolutePath().getParent());
    DuckDb.open(db).close();
    Retention retention = Retention.defaults();
    long start = System.nanoTime();
    long events = 0;
    double generateSeconds = 0;
    double goldSeconds = 0;
    double expireSeconds = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
      YearGenerator g = new YearGenerator(c, SEED, YearGenerator.REAL_RATE);
      c.setAutoCommit(false);
      List<String> merge = SqlScript.statements("duckdb", "merge_gold");
      Instant first = END.minus(Duration.ofDays(days));
      for (int d = 0; d < days; d++) {
        Instant from = first.plus(Duration.ofDays(d));
        Instant to = from.plus(Duration.ofDays(1));
        boolean full = d >= days - silverDays;
        long t0 = System.nanoTime();
        g.slots(from, to);
        long n = g.insertSilver(d + 1, full);
        long t1 = System.nanoTime();
        for (String sql : merge) {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
              ps.setLong(i, d + 1);
            }
            ps.execute();
          }
        }
        long t2 = System.nanoTime();
        // Retention as the day closes: the newest event is now near `to`.
        LocalDateTime newest = LocalDateTime.ofInstant(to, ZoneOffset.UTC);
        if (!full) {
          // Older than the window by the store's end: all of the day goes, as retention takes it.
          expire(c, "expire_silver", "silver", newest);
        }
        LocalDateTime minuteCutoff = newest.minus(retention.minutely());
        if (minuteCutoff.isAfter(LocalDateTime.ofInstant(first, ZoneOffset.UTC))) {
          expire(c, "expire_minutely", "minutely", minuteCutoff);
        }
        c.commit();
        long t3 = System.nanoTime();
        events += n;
        generateSeconds += (t1 - t0) / 1e9;
        goldSeconds += (t2 - t1) / 1e9;
        expireSeconds += (t3 - t2) / 1e9;
        if ((d + 1) % 10 == 0 || d == days - 1 || d < 2) {
          double s = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "  %s: day %d of %d (%s), %,d events, %.0f s so far (%.1f s silver, %.1f s gold,"
                  + " %.1f s expiry and commit)%n",
              db.getFileName(),
              d + 1,
              days,
              full ? "full silver" : "gold only",
              events,
              s,
              generateSeconds,
              goldSeconds,
              expireSeconds);
        }
      }
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.writeString(done, Long.toString(events));
    r.put("events_generated", events);
    r.put("build_seconds", seconds);
    r.put("silver_seconds", generateSeconds);
    r.put("gold_seconds", goldSeconds);
    r.put("expiry_and_commit_seconds", expireSeconds);
    r.put("events_per_s", events / seconds);
    return r;
  }

  /** One of the loader's expiry scripts with cutoff {@code cutoff}, recorded as it records it. */
  private static void expire(Connection c, String script, String tier, LocalDateTime cutoff)
      throws SQLException {
    long rows = 0;
    for (String sql : SqlScript.statements("duckdb", script)) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setObject(1, cutoff);
        rows += ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(SqlScript.statement("duckdb", "record_retention"))) {
      ps.setString(1, tier);
      ps.setObject(2, cutoff);
      ps.setLong(3, rows);
      ps.execute();
    }
  }

  /** What the store holds: rows per table, silver's span, size on disk. */
  static Map<String, Object> describe(Path db) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    // count(DISTINCT) over a month of silver needs more than the default 1 GB.
    try (Connection c = DuckDb.openReadOnly(db, "8GB", 2);
        Statement st = c.createStatement()) {
      for (String table :
          List.of(
              "wiki",
              "wiki_minutely_detail",
              "wiki_hourly_detail",
              "wiki_daily_detail",
              "wiki_hourly_summary")) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          r.put(table + "_rows", rs.getLong(1));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT min(event_time)::VARCHAR, max(event_time)::VARCHAR,"
                  + " count(DISTINCT (wiki, title)), count(DISTINCT \"user\"),"
                  + " count(DISTINCT wiki), avg(bot::INT), avg(is_anon(\"user\")::INT)"
                  + " FROM wiki")) {
        rs.next();
        r.put("silver_from", rs.getString(1));
        r.put("silver_to", rs.getString(2));
        r.put("silver_distinct_titles", rs.getLong(3));
        r.put("silver_distinct_users", rs.getLong(4));
        r.put("silver_wikis", rs.getLong(5));
        r.put("silver_bot_share", rs.getDouble(6));
        r.put("silver_anon_share", rs.getDouble(7));
      }
      try (ResultSet rs = st.executeQuery("SELECT sum(events) FROM wiki_daily_summary")) {
        rs.next();
        r.put("history_events", rs.getLong(1));
      }
    }
    long bytes = Files.size(db);
    Path wal = db.resolveSibling(db.getFileName() + ".wal");
    if (Files.exists(wal)) {
      bytes += Files.size(wal);
    }
    r.put("store_bytes", bytes);
    r.put("bytes_per_event_of_history", (double) bytes / (long) r.get("history_events"));
    return r;
  }

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Map<String, Object> b = build(db, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    System.out.println(b);
    System.out.println(describe(db));
  }
}
