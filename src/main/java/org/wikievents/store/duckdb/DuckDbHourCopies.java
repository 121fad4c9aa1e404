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
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.wikievents.store.SqlScript;

/**
 * A Parquet copy of each closed hour of silver beside the store ({@code
 * <file>.parquet/wiki/date=2026-05-05/hour=11.parquet}), which any tool reads while the loader
 * writes: DuckDB locks the store file, not these. Each file is written under a temporary name and
 * renamed into place, then listed in {@code wiki_parquet_files}; an hour that late events reach
 * after its copy is written again.
 */
final class DuckDbHourCopies {
  /** How long after an hour's end its events may still arrive before it counts as closed. */
  static final Duration GRACE = Duration.ofMinutes(5);

  private static final String DIALECT = DuckDbStore.DIALECT;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH");

  private final DuckDBConnection conn;
  private final Path dir;

  DuckDbHourCopies(DuckDBConnection conn, Path dbFile) {
    this.conn = conn;
    this.dir = dbFile.toAbsolutePath().resolveSibling(dbFile.getFileName() + ".parquet");
  }

  /** The folder of the copies: {@code <dir>/wiki/date=.../hour=...parquet}. */
  Path dir() {
    return dir;
  }

  /**
   * Copies the closed hours that have no complete copy, oldest first, until done or the budget is
   * spent (at least one hour a call); commits each. Returns how many hours it wrote.
   */
  int copy(LocalDateTime newest, Duration budget) throws SQLException, IOException {
    long deadline = System.nanoTime() + budget.toNanos();
    List<LocalDateTime> hours = new ArrayList<>();
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "closed_hours"))) {
      ps.setObject(1, newest.minus(GRACE));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hours.add(rs.getObject(1, LocalDateTime.class));
        }
      }
    }
    conn.commit();
    int written = 0;
    for (LocalDateTime hour : hours) {
      if (written > 0 && System.nanoTime() > deadline) {
        break;
      }
      copyHour(hour);
      written++;
    }
    return written;
  }

  private void copyHour(LocalDateTime hour) throws SQLException, IOException {
    String name = "wiki/date=" + hour.format(DATE) + "/hour=" + hour.format(HOUR) + ".parquet";
    Path folder = dir.resolve("wiki").resolve("date=" + hour.format(DATE));
    Path file = folder.resolve("hour=" + hour.format(HOUR) + ".parquet");
    Path tmp = folder.resolve("." + file.getFileName() + ".tmp");
    Files.createDirectories(folder);
    String sql =
        SqlScript.statement(DIALECT, "copy_hour")
            .replace("{file}", "'" + tmp.toString().replace("'", "''") + "'");
    long events;
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, hour);
      ps.setObject(2, hour);
      ps.execute();
    }
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM read_parquet('" + tmp.toString().replace("'", "''") + "')")) {
      rs.next();
      events = rs.getLong(1);
    }
    // Readers see the old copy or the new one, never a half-written file.
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "record_parquet_file"))) {
      ps.setObject(1, hour);
      ps.setString(2, name);
      ps.setLong(3, events);
      ps.execute();
    }
    conn.commit();
  }
}
