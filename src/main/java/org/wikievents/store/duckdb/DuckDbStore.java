package org.wikievents.store.duckdb;

import java.io.IOException;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.event.Sha256;
import org.wikievents.event.WikiEvent;
import org.wikievents.store.Alert;
import org.wikievents.store.BatchWriter;
import org.wikievents.store.EventStore;
import org.wikievents.store.Expired;
import org.wikievents.store.Retention;
import org.wikievents.store.Silver;
import org.wikievents.store.SqlScript;
import org.wikievents.store.StoreException;
import org.wikievents.store.WriteResult;

/**
 * The embedded store: one DuckDB file, one writing process. In one transaction per batch: the
 * events whose ids silver does not hold yet ({@code find_stored.sql}) are appended straight into
 * silver with DuckDB's Appender and their raw text into the batch's bronze file ({@link RawFiles}),
 * the batch is added to gold ({@code merge_gold.sql}), and the resume point moves.
 */
final class DuckDbStore implements EventStore {
  static final String DIALECT = "duckdb";
  private static final int QUARANTINE_FLUSH = 1000;
  private static final int CLAIM_CHUNK = 2048;
  private static final long LOOKUP_GAP_MILLIS = 10 * 60 * 1000;

  private static final Logger log = LoggerFactory.getLogger(DuckDbStore.class);

  private final DuckDBConnection conn;
  private final DuckDbBronze bronzeFiles;
  private final List<PreparedStatement> mergeGold = new ArrayList<>();
  private final PreparedStatement findStored;
  private final PreparedStatement insertQuarantine;
  private final PreparedStatement upsertCheckpoint;
  private long nextBatchId;
  private volatile boolean batchOpen;

  /** Silver holds no event before this time (epoch ms): retention removed them; -1: none gone. */
  private volatile long silverKeptFrom = -1;

  private volatile DuckDbHourCopies hourCopies;

  /**
   * The end of the newest closed hour when the copies were last complete (every closed hour and day
   * copied), or null before the first pass: a commit whose events close no later hour has nothing
   * new to copy (late events into a copied hour wait for the next upkeep or the next hour).
   */
  private LocalDateTime copiedThrough;

  /** The most time one upkeep spends copying hours to Parquet; a backlog goes on at the next. */
  private static final Duration COPY_BUDGET = Duration.ofSeconds(30);

  private DuckDbStore(
      DuckDBConnection conn, Path file, RawFiles rawFiles, IntFunction<List<String>> upgrades)
      throws SQLException, IOException {
    this.conn = conn;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "foreign_tables"))) {
      rs.next();
      if (rs.getLong(1) > 0 && rs.getLong(2) == 0) {
        // Creating our tables beside someone else's would mix two programs' data in one file.
        throw new SQLException(
            "it is a database of another program (none of its tables are wiki-events'); choose"
                + " another --db");
      }
    }
    int found = DuckDbLayout.prepare(conn, file, upgrades);
    if (found > 0 && found < DuckDbLayout.CURRENT) {
      log.info("upgraded the store {} from layout {} to {}", file, found, DuckDbLayout.CURRENT);
    }
    this.bronzeFiles = DuckDbBronze.open(conn, rawFiles);
    try (Statement st = conn.createStatement()) {
      try (ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "next_batch_id"))) {
        rs.next();
        nextBatchId = rs.getLong(1);
      }
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "select_silver_kept_from"))) {
      if (rs.next()) {
        silverKeptFrom = millis(rs.getObject(1, LocalDateTime.class));
      }
    }
    for (String sql : SqlScript.statements(DIALECT, "merge_gold")) {
      mergeGold.add(conn.prepareStatement(sql));
    }
    findStored = conn.prepareStatement(SqlScript.statement(DIALECT, "find_stored"));
    insertQuarantine = conn.prepareStatement(SqlScript.statement(DIALECT, "insert_quarantine"));
    upsertCheckpoint = conn.prepareStatement(SqlScript.statement(DIALECT, "upsert_checkpoint"));
    conn.setAutoCommit(false);
  }

  /** Where the store at {@code file} keeps its bronze files. */
  public static Path bronzeDirectory(Path file) {
    return RawFiles.beside(file);
  }

  /** Opens (creating if needed) the store for writing. Only one process may do so at a time. */
  public static DuckDbStore open(Path file) throws StoreException {
    return open(file, false, DuckDb.Limits.DEFAULT);
  }

  /**
   * Opens (creating if needed) the store for writing, within {@code limits}.
   *
   * @param parquetCopy keep a Parquet copy of each closed hour of silver beside the file ({@link
   *     DuckDbHourCopies}), written by {@link #maintain}
   */
  public static DuckDbStore open(Path file, boolean parquetCopy, DuckDb.Limits limits)
      throws StoreException {
    DuckDbStore store = open(file, DuckDbLayout.UPGRADES, limits);
    if (parquetCopy) {
      store.hourCopies = new DuckDbHourCopies(store.conn, file);
    }
    return store;
  }

  /** Opens with a Parquet copy of closed hours or not, within the default limits. */
  public static DuckDbStore open(Path file, boolean parquetCopy) throws StoreException {
    return open(file, parquetCopy, DuckDb.Limits.DEFAULT);
  }

  /** With other upgrades than this program's: how a test makes an upgrade fail. */
  static DuckDbStore open(Path file, IntFunction<List<String>> upgrades) throws StoreException {
    return open(file, upgrades, DuckDb.Limits.DEFAULT);
  }

  private static DuckDbStore open(
      Path file, IntFunction<List<String>> upgrades, DuckDb.Limits limits) throws StoreException {
    DuckDBConnection conn = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      conn = connect(file, false, limits);
      return new DuckDbStore(conn, file, new RawFiles(RawFiles.beside(file)), upgrades);
    } catch (StoreException e) {
      closeQuietly(conn);
      throw e;
    } catch (SQLException | IOException e) {
      closeQuietly(conn);
      throw new StoreException(describe(file, e), e);
    }
  }

  private static void closeQuietly(Connection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // Opening failed already; that is what the caller sees.
      }
    }
  }

  /** A read-only JDBC connection to an existing store, for queries. */
  public static Connection openReadOnly(Path file) throws StoreException {
    return openReadOnly(file, DuckDb.Limits.DEFAULT);
  }

  /** A read-only JDBC connection to an existing store, within {@code limits}. */
  public static Connection openReadOnly(Path file, DuckDb.Limits limits) throws StoreException {
    if (!Files.exists(file)) {
      throw new StoreException("no store at " + file, null);
    }
    Connection conn = null;
    try {
      conn = connect(file, true, limits);
      DuckDbLayout.refuseNewer(conn, file);
      return conn;
    } catch (StoreException e) {
      closeQuietly(conn);
      throw e;
    } catch (SQLException e) {
      closeQuietly(conn);
      throw new StoreException(describe(file, e), e);
    }
  }

  private static DuckDBConnection connect(Path file, boolean readOnly, DuckDb.Limits limits)
      throws SQLException {
    NativeLibraries.load();
    Properties props = new Properties();
    props.setProperty("memory_limit", limits.memoryLimit().strip());
    props.setProperty("threads", String.valueOf(limits.threads()));
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
          + " is in use by another wiki-events process (DuckDB allows one process per file);"
          + " meanwhile read it through that process's dashboard API, e.g. curl"
          + " http://localhost:8080/api/kpis (docs/dashboard.md)";
    }
    return "cannot open the store " + file + ": " + msg.lines().findFirst().orElse(msg);
  }

  @Override
  public synchronized BatchWriter begin() throws StoreException {
    if (batchOpen) {
      throw new IllegalStateException("a batch is already open");
    }
    try {
      batchOpen = true;
      return new DuckDbBatch(nextBatchId);
    } catch (SQLException e) {
      batchOpen = false;
      rollbackQuietly();
      throw new StoreException("cannot start a batch: " + e.getMessage(), e);
    }
  }

  /**
   * One transaction. Valid events are gathered in chunks; each chunk's ids are looked up in silver
   * and only the new ones are appended to silver and bronze.
   */
  private final class DuckDbBatch implements BatchWriter {
    private final long batchId;
    private final DuckDBAppender silver;
    private RawFiles.Writer bronze;
    private final Set<UUID> idsInBatch = new HashSet<>();
    private final List<ParseResult.Accepted> pending = new ArrayList<>(CLAIM_CHUNK);
    private final Map<String, String> resumeIds = new LinkedHashMap<>();
    private int received;
    private int stored;
    private int duplicates;
    private int quarantined;
    private int pendingQuarantine;
    private int canaries;
    private boolean done;

    DuckDbBatch(long batchId) throws SQLException {
      this.batchId = batchId;
      try (Statement st = conn.createStatement()) {
        st.execute(SqlScript.statement(DIALECT, "begin_batch"));
      }
      this.silver = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, Silver.TABLE);
    }

    @Override
    public void add(ParseResult r) throws StoreException {
      RawEvent raw = r.raw();
      received++;
      if (raw.resumesLiveStream()) {
        resumeIds.put(raw.stream(), raw.sseId());
      }
      try {
        if (r instanceof ParseResult.Accepted a) {
          if (a.event().eventTimeMillis() < silverKeptFrom) {
            // Silver no longer holds this time, so it cannot tell whether gold counted the event
            // already: a replayed old recording must not count it twice.
            duplicates++;
          } else if (idsInBatch.add(a.event().eventId())) {
            pending.add(a);
            if (pending.size() >= CLAIM_CHUNK) {
              appendPending();
            }
          } else {
            duplicates++;
          }
        } else if (r instanceof ParseResult.Rejected rej) {
          quarantine(raw, rej.reason());
        } else {
          canaries++;
        }
      } catch (SQLException | IOException e) {
        throw new StoreException("cannot add an event to the batch: " + e.getMessage(), e);
      }
    }

    /** Appends the pending events that silver does not hold yet; counts the others. */
    private void appendPending() throws SQLException, IOException {
      if (pending.isEmpty()) {
        return;
      }
      pending.sort(Comparator.comparingLong(a -> a.event().eventTimeMillis()));
      Set<UUID> known = new HashSet<>();
      int from = 0;
      for (int i = 1; i <= pending.size(); i++) {
        // Look up in runs of nearby event times, so a late or very old event does not widen the
        // range every other event of the chunk is looked up in.
        if (i == pending.size()
            || pending.get(i).event().eventTimeMillis()
                    - pending.get(i - 1).event().eventTimeMillis()
                > LOOKUP_GAP_MILLIS) {
          findStored(pending.subList(from, i), known);
          from = i;
        }
      }
      for (ParseResult.Accepted a : pending) {
        if (!known.contains(a.event().eventId())) {
          appendSilver(silver, batchId, a.raw(), a.event());
          if (bronze == null) {
            bronze = bronzeFiles.create(batchId);
          }
          bronze.append(a.raw(), a.event());
        }
      }
      stored += pending.size() - known.size();
      duplicates += known.size();
      pending.clear();
    }

    private void findStored(List<ParseResult.Accepted> run, Set<UUID> known) throws SQLException {
      Object[] ids = new Object[run.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = run.get(i).event().eventId();
      }
      findStored.setObject(1, utc(run.get(0).event().eventTimeMillis()));
      findStored.setObject(2, utc(run.get(run.size() - 1).event().eventTimeMillis()));
      findStored.setArray(3, conn.createArrayOf("UUID", ids));
      try (ResultSet rs = findStored.executeQuery()) {
        while (rs.next()) {
          known.add(rs.getObject(1, UUID.class));
        }
      }
    }

    private void quarantine(RawEvent raw, String reason) throws SQLException {
      insertQuarantine.setString(1, Sha256.hex(raw.data()));
      insertQuarantine.setString(2, raw.stream());
      insertQuarantine.setString(3, raw.sseId());
      insertQuarantine.setObject(4, utc(raw.receivedAtMillis()));
      insertQuarantine.setString(5, reason);
      insertQuarantine.setString(6, raw.data());
      insertQuarantine.addBatch();
      quarantined++;
      // A flood of garbage must not pile up in memory until the commit.
      if (++pendingQuarantine >= QUARANTINE_FLUSH) {
        insertQuarantine.executeBatch();
        pendingQuarantine = 0;
      }
    }

    @Override
    public WriteResult commit() throws StoreException {
      try {
        appendPending();
        silver.flush();
        RawFile raw = bronze == null ? null : bronze.finish();
        if (raw != null) {
          bronzeFiles.record(raw);
        }
        for (PreparedStatement ps : mergeGold) {
          // Every parameter of these statements is the batch id.
          for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
            ps.setLong(i, batchId);
          }
          ps.execute();
        }
        if (pendingQuarantine > 0) {
          insertQuarantine.executeBatch();
        }
        for (Map.Entry<String, String> e : resumeIds.entrySet()) {
          upsertCheckpoint.setString(1, e.getKey());
          upsertCheckpoint.setString(2, e.getValue());
          upsertCheckpoint.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
          upsertCheckpoint.addBatch();
        }
        if (!resumeIds.isEmpty()) {
          upsertCheckpoint.executeBatch();
        }
        conn.commit();
        done = true;
        nextBatchId++;
        if (raw != null) {
          bronzeFiles.publish(raw);
        }
        return new WriteResult(received, stored, duplicates, quarantined, canaries);
      } catch (SQLException | IOException e) {
        throw new StoreException(
            "batch of " + received + " events not committed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws StoreException {
      batchOpen = false;
      try {
        silver.close();
      } catch (SQLException e) {
        // A failed batch may leave its appender unusable; the rollback below still applies.
      }
      if (bronze != null) {
        try {
          bronze.close();
        } catch (IOException e) {
          log.warn("cannot delete the bronze file of an uncommitted batch: {}", e.toString());
        }
      }
      if (!done) {
        rollbackQuietly();
        insertQuarantineClear();
      }
    }
  }

  private void insertQuarantineClear() {
    try {
      insertQuarantine.clearBatch();
    } catch (SQLException ignored) {
      // Nothing was pending.
    }
  }

  /**
   * One silver row, column by column as {@link Silver} lists them (the appender fills by position).
   * The appender's boxed overloads append null for a null value.
   */
  private static void appendSilver(DuckDBAppender app, long batchId, RawEvent raw, WikiEvent e)
      throws SQLException {
    app.beginRow();
    for (Silver.Column column : Silver.COLUMNS) {
      Object v = column.of(e, raw.receivedAtMillis(), batchId);
      switch (column.type()) {
        case UUID -> app.append((UUID) v);
        case VARCHAR -> app.append((String) v);
        case INTEGER -> app.append((Integer) v);
        case BIGINT -> app.append((Long) v);
        case BOOLEAN -> app.append((Boolean) v);
        case TIMESTAMP -> {
          // The only epoch overload of a TIMESTAMP (microsecond) column takes a primitive.
          if (v == null) {
            app.appendNull();
          } else {
            app.appendEpochMicros((Long) v * 1000);
          }
        }
      }
    }
    app.endRow();
  }

  @Override
  public synchronized Optional<String> checkpoint(String stream) throws StoreException {
    // Its own connection: callers (a restart, a test polling for progress) may ask while a batch
    // is open on the writer's, which must neither see this query nor be committed by it.
    try (Connection c = conn.duplicate();
        PreparedStatement ps =
            c.prepareStatement(SqlScript.statement(DIALECT, "select_checkpoint"))) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the resume point: " + e.getMessage(), e);
    }
  }

  /**
   * Holds the store's lock for one small insert, so it never overlaps {@link #maintain}'s
   * checkpoint; a batch in progress is not held up (it commits without this lock).
   */
  @Override
  public synchronized void recordAlert(Alert alert) throws StoreException {
    // Its own short-lived connection, committing at once: never inside an open batch, and no
    // statement left prepared across the batches' schema changes (the bronze view).
    try (Connection c = conn.duplicate()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(SqlScript.statement(DIALECT, "insert_alert"))) {
        ps.setObject(1, utc(alert.at().toEpochMilli()));
        ps.setString(2, alert.rule());
        ps.setString(3, alert.subject());
        ps.setString(4, alert.state());
        ps.setString(5, alert.message());
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot record an alert: " + e.getMessage(), e);
    }
  }

  /**
   * Expires bronze a file at a time: the files whose every event was received before the cutoff.
   */
  @Override
  public synchronized long expireRaw(Instant cutoff) throws StoreException {
    try {
      return bronzeFiles.expire(cutoff);
    } catch (SQLException | IOException e) {
      rollbackQuietly();
      throw new StoreException("cannot expire bronze files: " + e.getMessage(), e);
    }
  }

  /**
   * Expires silver an hour of event time at a time (the hours hourly gold knows of), each hour in a
   * transaction of its own that also records how far silver now reaches, so a batch waits for one
   * hour's delete at most; then per-minute gold in one statement per table. Gold is not touched.
   */
  @Override
  public synchronized Expired expire(Retention retention, Duration budget) throws StoreException {
    long deadline = System.nanoTime() + budget.toNanos();
    try {
      conn.commit();
      LocalDateTime newest;
      LocalDateTime oldest;
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "expiry_bounds"))) {
        rs.next();
        newest = rs.getObject(1, LocalDateTime.class);
        oldest = rs.getObject(2, LocalDateTime.class);
      }
      conn.commit();
      if (newest == null) {
        return new Expired(0, 0, true);
      }
      long minutely = 0;
      if (!retention.minutely().isZero()) {
        LocalDateTime cutoff = newest.minus(retention.minutely());
        for (String sql : SqlScript.statements(DIALECT, "expire_minutely")) {
          try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setObject(1, cutoff);
            minutely += ps.executeUpdate();
          }
        }
        if (minutely > 0) {
          recordRetention("minutely", cutoff, minutely);
        }
        conn.commit();
      }
      long silver = 0;
      boolean done = true;
      if (!retention.silver().isZero() && oldest != null) {
        LocalDateTime cutoff = newest.minus(retention.silver());
        try (PreparedStatement next =
                conn.prepareStatement(SqlScript.statement(DIALECT, "next_hour"));
            PreparedStatement delete =
                conn.prepareStatement(SqlScript.statement(DIALECT, "expire_silver"))) {
          LocalDateTime from = oldest;
          int units = 0;
          while (true) {
            // Hours without events have nothing to delete: on to the next one gold knows of.
            next.setObject(1, from.truncatedTo(ChronoUnit.HOURS));
            try (ResultSet rs = next.executeQuery()) {
              rs.next();
              LocalDateTime h = rs.getObject(1, LocalDateTime.class);
              if (h == null) {
                break;
              }
              from = h.isAfter(from) ? h : from;
            }
            conn.commit();
            if (!from.isBefore(cutoff)) {
              break;
            }
            // At least one unit a pass, so passes make progress whatever the budget.
            if (units++ > 0 && System.nanoTime() > deadline) {
              done = false;
              break;
            }
            LocalDateTime hourEnd = from.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            LocalDateTime to = hourEnd.isBefore(cutoff) ? hourEnd : cutoff;
            delete.setObject(1, to);
            long n = delete.executeUpdate();
            recordRetention("silver", to, n);
            conn.commit();
            silverKeptFrom = millis(to);
            silver += n;
            from = to;
          }
        }
      }
      return new Expired(silver, minutely, done);
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("cannot expire silver: " + e.getMessage(), e);
    }
  }

  private void recordRetention(String tier, LocalDateTime keptFrom, long expired)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement(DIALECT, "record_retention"))) {
      ps.setString(1, tier);
      ps.setObject(2, keptFrom);
      ps.setLong(3, expired);
      ps.execute();
    }
  }

  private static long millis(LocalDateTime t) {
    return t == null ? -1 : t.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /**
   * With Parquet copies: when {@code newest} closes an hour later than the last complete pass did
   * (or a pass ran out of budget), copies the closed hours and days that have none, within {@code
   * budget}; otherwise returns at once, so every commit may call it.
   */
  @Override
  public synchronized void copyClosed(Instant newest, Duration budget) throws StoreException {
    if (hourCopies == null
        || (copiedThrough != null
            && !DuckDbHourCopies.closedThrough(LocalDateTime.ofInstant(newest, ZoneOffset.UTC))
                .isAfter(copiedThrough))) {
      return;
    }
    try {
      copyHours(budget);
    } catch (SQLException | IOException e) {
      rollbackQuietly();
      throw new StoreException("cannot copy closed hours to Parquet: " + e.getMessage(), e);
    }
  }

  /**
   * Copies closed hours and days within {@code budget}, as far as the newest event time in the
   * store closes them; true when none is left without its copies.
   */
  private boolean copyHours(Duration budget) throws SQLException, IOException {
    conn.commit();
    LocalDateTime newest;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "expiry_bounds"))) {
      rs.next();
      newest = rs.getObject(1, LocalDateTime.class);
    }
    conn.commit();
    if (newest == null) {
      return true;
    }
    boolean done = hourCopies.copy(newest, budget);
    if (done) {
      copiedThrough = DuckDbHourCopies.closedThrough(newest);
    }
    return done;
  }

  /**
   * Merges small bronze files (a live feed writes one every half second), copies closed hours of
   * silver to Parquet if asked to, then checkpoints.
   */
  @Override
  public synchronized void maintain() throws StoreException {
    try (Statement st = conn.createStatement()) {
      conn.commit();
      bronzeFiles.compact();
      if (hourCopies != null) {
        copyHours(COPY_BUDGET);
      }
      try {
        st.execute(SqlScript.statement(DIALECT, "maintain"));
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("Cannot CHECKPOINT")) {
          throw e;
        }
        // A dashboard read was open (they follow every commit): the checkpoint is only upkeep,
        // DuckDB also checkpoints by itself as the log grows, and the next round tries again.
        log.info("checkpoint put off: a read was in progress");
      }
      conn.commit();
    } catch (SQLException | IOException e) {
      rollbackQuietly();
      throw new StoreException("cannot checkpoint the store: " + e.getMessage(), e);
    }
  }

  /**
   * A reader on a second connection to this store's database: DuckDB lets one process open a file,
   * so the dashboard of the writing process reads through it, in its own transactions, while
   * batches commit on the write connection.
   */
  @Override
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
      for (PreparedStatement ps : mergeGold) {
        ps.close();
      }
      findStored.close();
      insertQuarantine.close();
      upsertCheckpoint.close();
      bronzeFiles.close();
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
}
