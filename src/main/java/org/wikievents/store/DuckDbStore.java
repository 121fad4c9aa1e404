package org.wikievents.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;
import org.wikievents.source.RecordingSource;

/**
 * The embedded store: one DuckDB file, one writing process. Each batch is appended to a staging
 * table with DuckDB's Appender and merged into bronze, silver and gold by the statements of {@code
 * write_batch.sql}, all in one transaction with the resume point.
 */
public final class DuckDbStore implements EventStore {
  static final String DIALECT = "duckdb";

  private final DuckDBConnection conn;
  private final List<PreparedStatement> writeBatch = new ArrayList<>();
  private final String insertQuarantine = SqlScript.statement(DIALECT, "insert_quarantine");
  private final String upsertCheckpoint = SqlScript.statement(DIALECT, "upsert_checkpoint");
  private long nextBatchId;

  private DuckDbStore(DuckDBConnection conn) throws SQLException {
    this.conn = conn;
    try (Statement st = conn.createStatement()) {
      for (String sql : SqlScript.statements(DIALECT, "schema")) {
        st.execute(sql);
      }
      try (ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "next_batch_id"))) {
        rs.next();
        nextBatchId = rs.getLong(1);
      }
    }
    for (String sql : SqlScript.statements(DIALECT, "write_batch")) {
      writeBatch.add(conn.prepareStatement(sql));
    }
    conn.setAutoCommit(false);
  }

  /** Opens (creating if needed) the store for writing. Only one process may do so at a time. */
  public static DuckDbStore open(Path file) throws StoreException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new DuckDbStore(connect(file, false));
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException(describe(file, e), e);
    }
  }

  /** A read-only JDBC connection to an existing store, for queries. */
  public static Connection openReadOnly(Path file) throws StoreException {
    if (!Files.exists(file)) {
      throw new StoreException("no store at " + file, null);
    }
    try {
      return connect(file, true);
    } catch (SQLException e) {
      throw new StoreException(describe(file, e), e);
    }
  }

  private static DuckDBConnection connect(Path file, boolean readOnly) throws SQLException {
    Properties props = new Properties();
    if (readOnly) {
      props.setProperty("duckdb.read_only", "true");
    }
    return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, props);
  }

  private static String describe(Path file, Exception e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("Could not set lock") || msg.contains("Conflicting lock")) {
      return "the store "
          + file
          + " is in use by another wiki-events process (DuckDB allows one process per file)";
    }
    return "cannot open the store " + file + ": " + msg.lines().findFirst().orElse(msg);
  }

  @Override
  public synchronized WriteResult write(List<ParseResult> batch) throws StoreException {
    long batchId = nextBatchId;
    int accepted = 0;
    int quarantined = 0;
    int canaries = 0;
    Map<String, String> resumeIds = new LinkedHashMap<>();
    try {
      try (DuckDBAppender app =
              conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "wiki_staging");
          PreparedStatement quarantine = conn.prepareStatement(insertQuarantine)) {
        int seq = 0;
        for (ParseResult r : batch) {
          RawEvent raw = r.raw();
          if (raw.sseId() != null && !RecordingSource.STREAM.equals(raw.stream())) {
            resumeIds.put(raw.stream(), raw.sseId());
          }
          if (r instanceof ParseResult.Accepted a) {
            appendStaging(app, seq++, raw, a.event());
            accepted++;
          } else if (r instanceof ParseResult.Rejected rej) {
            quarantine.setString(1, sha256(raw.data()));
            quarantine.setString(2, raw.stream());
            quarantine.setString(3, raw.sseId());
            quarantine.setObject(4, utc(raw.receivedAtMillis()));
            quarantine.setString(5, rej.reason());
            quarantine.setString(6, raw.data());
            quarantine.addBatch();
            quarantined++;
          } else {
            canaries++;
          }
        }
        app.flush();
        if (quarantined > 0) {
          quarantine.executeBatch();
        }
      }
      for (PreparedStatement ps : writeBatch) {
        // Every parameter of these statements is the batch id.
        for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
          ps.setLong(i, batchId);
        }
        ps.execute();
      }
      try (PreparedStatement cp = conn.prepareStatement(upsertCheckpoint)) {
        for (Map.Entry<String, String> e : resumeIds.entrySet()) {
          cp.setString(1, e.getKey());
          cp.setString(2, e.getValue());
          cp.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
          cp.addBatch();
        }
        if (!resumeIds.isEmpty()) {
          cp.executeBatch();
        }
      }
      int stored = countBatch(batchId);
      conn.commit();
      nextBatchId++;
      return new WriteResult(batch.size(), stored, accepted - stored, quarantined, canaries);
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException(
          "batch of " + batch.size() + " events not committed: " + e.getMessage(), e);
    }
  }

  private int countBatch(long batchId) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "count_batch"))) {
      ps.setLong(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void appendStaging(DuckDBAppender app, int seq, RawEvent raw, WikiEvent e)
      throws SQLException {
    app.beginRow();
    app.append(seq);
    app.appendUUID(e.idMostSigBits(), e.idLeastSigBits());
    app.append(raw.stream());
    appendNullable(app, raw.sseId());
    app.appendEpochMicros(raw.receivedAtMillis() * 1000);
    app.append(raw.data());
    app.appendEpochMicros(e.eventTimeMillis() * 1000);
    app.append(e.wiki());
    appendNullable(app, e.domain());
    app.append(e.type());
    if (e.namespace() == null) {
      app.appendNull();
    } else {
      app.append(e.namespace().intValue());
    }
    appendNullable(app, e.title());
    appendNullable(app, e.user());
    appendNullable(app, e.bot());
    appendNullable(app, e.minor());
    appendNullable(app, e.patrolled());
    appendNullable(app, e.lengthOld());
    appendNullable(app, e.lengthNew());
    appendNullable(app, e.revisionOld());
    appendNullable(app, e.revisionNew());
    appendNullable(app, e.logType());
    appendNullable(app, e.logAction());
    appendNullable(app, e.comment());
    appendNullable(app, e.serverName());
    appendNullable(app, e.rcId());
    app.endRow();
  }

  private static void appendNullable(DuckDBAppender app, String v) throws SQLException {
    if (v == null) {
      app.appendNull();
    } else {
      app.append(v);
    }
  }

  private static void appendNullable(DuckDBAppender app, Boolean v) throws SQLException {
    if (v == null) {
      app.appendNull();
    } else {
      app.append(v.booleanValue());
    }
  }

  private static void appendNullable(DuckDBAppender app, Long v) throws SQLException {
    if (v == null) {
      app.appendNull();
    } else {
      app.append(v.longValue());
    }
  }

  @Override
  public synchronized Optional<String> checkpoint(String stream) throws StoreException {
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "select_checkpoint"))) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        Optional<String> id = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        conn.commit();
        return id;
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("cannot read the resume point: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized long expireRaw(Instant cutoff) throws StoreException {
    try (PreparedStatement ps = conn.prepareStatement(SqlScript.statement(DIALECT, "expire_raw"))) {
      ps.setObject(1, LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
      long n = ps.executeUpdate();
      conn.commit();
      return n;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("cannot expire bronze rows: " + e.getMessage(), e);
    }
  }

  /**
   * A reader on a second connection to this store's database: DuckDB lets one process open a file,
   * so the dashboard of the writing process reads through it, in its own transactions, while
   * batches commit on the write connection.
   */
  public synchronized DuckDbReader reader() throws StoreException {
    try {
      return new DuckDbReader(conn.duplicate());
    } catch (SQLException e) {
      throw new StoreException("cannot open a read connection: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws StoreException {
    try {
      for (PreparedStatement ps : writeBatch) {
        ps.close();
      }
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the store: " + e.getMessage(), e);
    }
  }

  private void rollbackQuietly() {
    try {
      conn.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  private static LocalDateTime utc(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  static String sha256(String data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
