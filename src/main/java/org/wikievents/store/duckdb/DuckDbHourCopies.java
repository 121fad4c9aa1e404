package org.wikievents.store.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.duckdb.DuckDBConnection;
import org.wikievents.store.SqlScript;

/**
 * A Parquet copy of each closed hour of silver beside the store ({@code
 * <file>.parquet/wiki/date=2026-05-05/hour=11.parquet}), and of gold: each gold table's rows of a
 * closed hour ({@code gold/wiki_hourly_summary/date=2026-05-05/hour=11.parquet}; the per-minute
 * tables hold that hour's minutes) and of a closed day ({@code
 * gold/wiki_daily_summary/date=2026-05-05/day.parquet}). Any tool reads them while the loader
 * writes: DuckDB locks the store file, not these. Each file is written under a temporary name and
 * renamed into place, then listed in {@code wiki_parquet_files} (silver) or {@code
 * wiki_parquet_gold_files}; an hour or day that late events reach after its copy is written again.
 */
final class DuckDbHourCopies {
  /** How long after an hour's end its events may still arrive before it counts as closed. */
  static final Duration GRACE = Duration.ofMinutes(5);

  /** Gold copied per closed hour: the hour's rows, or its minutes' for the per-minute tables. */
  static final List<String> HOURLY_GOLD =
      List.of("wiki_hourly_summary", "wiki_hourly_bywiki_summary", "wiki_hourly_detail");

  static final List<String> MINUTELY_GOLD =
      List.of(
          "wiki_minutely_summary",
          "wiki_minutely_bywiki_summary",
          "wiki_minutely_detail",
          "wiki_minutely_totals");

  /** Gold copied per closed day. */
  static final List<String> DAILY_GOLD =
      List.of("wiki_daily_summary", "wiki_daily_bywiki_summary", "wiki_daily_detail");

  private static final String DIALECT = DuckDbStore.DIALECT;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH");

  private final DuckDBConnection conn;
  private final Path dir;

  DuckDbHourCopies(DuckDBConnection conn, Path dbFile) {
    this.conn = conn;
    this.dir = dbFile.toAbsolutePath().resolveSibling(dbFile.getFileName() + ".parquet");
  }

  /**
   * The folder of the copies: {@code <dir>/wiki/date=.../hour=...parquet}, {@code <dir>/gold/...}.
   */
  Path dir() {
    return dir;
  }

  /**
   * The end of the newest closed hour when the newest event time is {@code newest}: every hour that
   * ends at or before it is closed (a day too, when it is midnight or later).
   */
  static LocalDateTime closedThrough(LocalDateTime newest) {
    return newest.minus(GRACE).truncatedTo(ChronoUnit.HOURS);
  }

  /**
   * Copies the closed hours, then the closed days, that have no complete copy, oldest first, until
   * done or the budget is spent (at least one a call); commits each. Returns true when every closed
   * hour and day has its copies, false when the budget ran out first.
   */
  boolean copy(LocalDateTime newest, Duration budget) throws SQLException, IOException {
    long deadline = System.nanoTime() + budget.toNanos();
    Map<LocalDateTime, Long> hours = closed("closed_hours", newest.minus(GRACE));
    LocalDateTime minutelyKeptFrom = minutelyKeptFrom();
    int written = 0;
    for (Map.Entry<LocalDateTime, Long> hour : hours.entrySet()) {
      if (written > 0 && System.nanoTime() > deadline) {
        return false;
      }
      copyHour(hour.getKey(), hour.getValue(), minutelyKeptFrom);
      written++;
    }
    for (Map.Entry<LocalDateTime, Long> day :
        closed("closed_days", newest.minus(GRACE)).entrySet()) {
      if (written > 0 && System.nanoTime() > deadline) {
        return false;
      }
      copyDay(day.getKey(), day.getValue());
      written++;
    }
    return true;
  }

  /** The intervals a closed_* query lists, with their events, oldest first. */
  private Map<LocalDateTime, Long> closed(String query, LocalDateTime closedBefore)
      throws SQLException {
    Map<LocalDateTime, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(SqlScript.statement(DIALECT, query))) {
      ps.setObject(1, closedBefore);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getObject(1, LocalDateTime.class), rs.getLong(2));
        }
      }
    }
    conn.commit();
    return out;
  }

  private LocalDateTime minutelyKeptFrom() throws SQLException {
    try (PreparedStatement ps =
            conn.prepareStatement(SqlScript.statement(DIALECT, "select_minutely_kept_from"));
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
    }
  }

  private void copyHour(LocalDateTime hour, long events, LocalDateTime minutelyKeptFrom)
      throws SQLException, IOException {
    String partition = "date=" + hour.format(DATE) + "/hour=" + hour.format(HOUR) + ".parquet";
    String name = "wiki/" + partition;
    Path tmp = temporary(name);
    String sql =
        SqlScript.statement(DIALECT, "copy_hour")
            .replace("{file}", "'" + tmp.toString().replace("'", "''") + "'");
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, hour);
      ps.setObject(2, hour);
      ps.execute();
    }
    long copied = publish(tmp, name);
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "record_parquet_file"))) {
      ps.setObject(1, hour);
      ps.setString(2, name);
      ps.setLong(3, copied);
      ps.execute();
    }
    List<String> tables = new ArrayList<>(HOURLY_GOLD);
    // Per-minute gold that retention has cut into is not whole for this hour: no copy of it.
    if (minutelyKeptFrom == null || !hour.isBefore(minutelyKeptFrom)) {
      tables.addAll(MINUTELY_GOLD);
    }
    for (String table : tables) {
      copyGold(table, hour, hour.plusHours(1), "gold/" + table + "/" + partition, events);
    }
    conn.commit();
  }

  private void copyDay(LocalDateTime day, long events) throws SQLException, IOException {
    for (String table : DAILY_GOLD) {
      copyGold(
          table,
          day,
          day.plusDays(1),
          "gold/" + table + "/date=" + day.format(DATE) + "/day.parquet",
          events);
    }
    conn.commit();
  }

  /** One gold table's rows of [from, to) to {@code name}, listed with the interval's events. */
  private void copyGold(
      String table, LocalDateTime from, LocalDateTime to, String name, long events)
      throws SQLException, IOException {
    Path tmp = temporary(name);
    // The table name is one of this class's constants, never input.
    String sql =
        SqlScript.statement(DIALECT, "copy_gold")
            .replace("{table}", table)
            .replace("{file}", "'" + tmp.toString().replace("'", "''") + "'");
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, from);
      ps.setObject(2, to);
      ps.execute();
    }
    publish(tmp, name);
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "record_gold_file"))) {
      ps.setString(1, table);
      ps.setObject(2, from);
      ps.setString(3, name);
      ps.setLong(4, events);
      ps.execute();
    }
  }

  /** Where {@code name} is written before it is complete: a dot file beside it. */
  private Path temporary(String name) throws IOException {
    Path file = dir.resolve(name);
    // Every name is under a folder of its own (wiki/date=..., gold/<table>/date=...).
    Path folder = Objects.requireNonNull(file.getParent(), name);
    Files.createDirectories(folder);
    return folder.resolve("." + file.getFileName() + ".tmp");
  }

  /** Renames a complete temporary file into place; returns its rows. */
  private long publish(Path tmp, String name) throws SQLException, IOException {
    long rows;
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM read_parquet('" + tmp.toString().replace("'", "''") + "')")) {
      rs.next();
      rows = rs.getLong(1);
    }
    // Readers see the old copy or the new one, never a half-written file.
    Files.move(
        tmp,
        dir.resolve(name),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return rows;
  }
}
