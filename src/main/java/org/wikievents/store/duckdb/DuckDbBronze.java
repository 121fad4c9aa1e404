package org.wikievents.store.duckdb;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.store.SqlScript;

/**
 * The DuckDB store's side of its bronze files ({@link RawFiles}): the record of them in {@code
 * wiki_raw_files}, the {@code wiki_raw} view over them, and keeping the two in line with the folder
 * (at start, on expiry, when merging). Runs on the store's connection, in its transactions.
 */
final class DuckDbBronze implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DuckDbBronze.class);
  private static final String DIALECT = DuckDbStore.DIALECT;

  private final DuckDBConnection conn;
  private final RawFiles files;
  private final PreparedStatement insertFile;
  private final PreparedStatement deleteFile;
  private boolean viewHasFiles;

  private DuckDbBronze(DuckDBConnection conn, RawFiles files) throws SQLException {
    this.conn = conn;
    this.files = files;
    this.insertFile = conn.prepareStatement(SqlScript.statement(DIALECT, "insert_raw_file"));
    this.deleteFile = conn.prepareStatement(SqlScript.statement(DIALECT, "delete_raw_file"));
  }

  /**
   * After the schema, in auto-commit: settles the folder after a crash and points the view at it.
   */
  static DuckDbBronze open(DuckDBConnection conn, RawFiles files) throws SQLException, IOException {
    DuckDbBronze bronze = new DuckDbBronze(conn, files);
    bronze.recover();
    bronze.pointView(!bronze.list("select_raw_files", null).isEmpty());
    return bronze;
  }

  RawFiles.Writer create(long batchId) throws IOException {
    return files.create(batchId);
  }

  /** Records a batch's file, in the batch's transaction. */
  void record(RawFile f) throws SQLException {
    insertFile.setString(1, f.name());
    insertFile.setLong(2, f.firstBatch());
    insertFile.setLong(3, f.lastBatch());
    insertFile.setLong(4, f.events());
    insertFile.setLong(5, f.bytes());
    insertFile.setObject(6, utc(f.firstIngestMillis()));
    insertFile.setObject(7, utc(f.lastIngestMillis()));
    insertFile.execute();
  }

  /**
   * Makes a committed batch's file visible. The batch is committed whatever happens here: a file
   * that cannot be renamed now is published by {@link RawFiles#recover} at the next start.
   */
  void publish(RawFile f) {
    try {
      files.publish(f);
      if (!viewHasFiles) {
        pointView(true);
        conn.commit();
      }
    } catch (IOException | SQLException e) {
      log.warn("bronze file {} not published yet: {}", f.name(), e.toString());
    }
  }

  /**
   * Deletes the files whose every event was received before the cutoff; commits. The record goes
   * first, so a crash before the files are deleted leaves them to {@link RawFiles#recover}.
   *
   * @return how many events they held
   */
  long expire(Instant cutoff) throws SQLException, IOException {
    List<RawFile> expired = list("expire_raw", LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    long events = 0;
    for (RawFile f : expired) {
      forget(f.name());
      events += f.events();
    }
    if (!expired.isEmpty() && list("select_raw_files", null).isEmpty()) {
      pointView(false);
    }
    conn.commit();
    if (!expired.isEmpty()) {
      files.delete(expired);
    }
    return events;
  }

  /** Merges small files of the same hour (a live feed writes one a batch); commits each merge. */
  void compact() throws SQLException, IOException {
    for (List<RawFile> run : RawFiles.compactionRuns(list("select_raw_files", null))) {
      RawFile merged = files.concat(run);
      for (RawFile f : run) {
        forget(f.name());
      }
      record(merged);
      conn.commit();
      files.publish(merged);
      files.delete(run);
    }
  }

  /** Settles files left by a crash between writing a file and publishing it. */
  private void recover() throws SQLException, IOException {
    Set<String> committed = new HashSet<>();
    for (RawFile f : list("select_raw_files", null)) {
      committed.add(f.name());
    }
    for (String missing : files.recover(committed)) {
      log.warn("bronze file {} is missing; its raw events are lost (silver keeps them)", missing);
      forget(missing);
    }
  }

  private void forget(String name) throws SQLException {
    deleteFile.setString(1, name);
    deleteFile.execute();
  }

  private void pointView(boolean hasFiles) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(
          hasFiles
              ? SqlScript.statement(DIALECT, "raw_view")
                  .replace("{glob}", stringLiteral(files.glob()))
              : SqlScript.statement(DIALECT, "raw_view_empty"));
    }
    viewHasFiles = hasFiles;
  }

  private List<RawFile> list(String query, LocalDateTime param) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(SqlScript.statement(DIALECT, query))) {
      if (param != null) {
        ps.setObject(1, param);
      }
      List<RawFile> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new RawFile(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  millis(rs.getObject(6, LocalDateTime.class)),
                  millis(rs.getObject(7, LocalDateTime.class))));
        }
      }
      return out;
    }
  }

  /** A SQL string literal, for the few statements (COPY, a view) that take no parameters. */
  private static String stringLiteral(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static long millis(LocalDateTime utc) {
    return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static LocalDateTime utc(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  @Override
  public void close() throws SQLException {
    insertFile.close();
    deleteFile.close();
  }
}
