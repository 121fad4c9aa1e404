package org.wikievents.store.clickhouse;

import com.clickhouse.client.api.ClickHouseException;
import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.wikievents.store.StoreReader;
import org.wikievents.store.WriteResult;

/**
 * The shared store: a ClickHouse server (or cluster) that several loaders write and dashboards
 * read. Gold is kept by materialized views on silver, so what reaches silver must be new: a batch
 * asks silver which of its ids it already holds and inserts only the others (bronze, quarantine,
 * silver, then the resume point). Each insert carries a deduplication token derived from its rows,
 * so an insert retried after a lost answer is dropped by the server, views included.
 *
 * <p>ClickHouse has no transaction across tables: a batch that fails half-way leaves what it
 * inserted, and the retry of its events skips the ids silver has (see docs/clickhouse.md).
 */
final class ClickHouseStore implements EventStore {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseStore.class);

  static final String DIALECT = "clickhouse";

  /**
   * How the tables are laid out: one server, or replicated shards behind Distributed tables. Both
   * are rendered from the same SQL ({@link ClickHouseSql}).
   */
  public enum Layout {
    SINGLE,
    CLUSTER
  }

  /** Ids per lookup: keeps the request (the ids travel as a URL parameter) well under 1 MB. */
  static final int LOOKUP_CHUNK = 2000;

  private static final int INSERT_ATTEMPTS = 3;
  private static final long TIMEOUT_SECONDS = 300;
  private static final int UNKNOWN_TTL = 36;
  private static final int UNKNOWN_USER = 192;
  private static final int ACCESS_DENIED = 497;
  private static final int AUTHENTICATION_FAILED = 516;

  private final Client client;
  private final ClickHouseUrl url;
  private final Layout layout;
  private final String seenIds = SqlScript.statement(DIALECT, "select_seen_ids");
  private long lastBatchId;
  private boolean batchOpen;

  /**
   * Silver holds no event before this time (epoch ms): retention removed them; -1: none gone. Read
   * again at each commit, since another loader's retention may have moved it.
   */
  private volatile long silverKeptFrom = -1;

  private ClickHouseStore(Client client, ClickHouseUrl url, Layout layout) {
    this.client = client;
    this.url = url;
    this.layout = layout;
  }

  /**
   * Connects, creates the tables if missing and sets bronze's TTL to {@code rawRetention} (zero
   * keeps bronze forever).
   */
  public static ClickHouseStore open(ClickHouseUrl url, Layout layout, Duration rawRetention)
      throws StoreException {
    Client.Builder builder =
        clientBuilder(url, "wiki-events")
            // Without it a retried insert dropped from silver would still reach gold.
            .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
    if (layout == Layout.CLUSTER) {
      // The resume point must not be written before the shards hold the data it covers.
      builder.serverSetting("distributed_foreground_insert", "1");
    }
    ClickHouseStore store = new ClickHouseStore(builder.build(), url, layout);
    try {
      for (String sql : ClickHouseSql.statements(layout, "schema")) {
        store.execute(sql, Map.of());
      }
      store.setRawTtl(rawRetention);
      store.silverKeptFrom();
    } catch (StoreException e) {
      store.client.close();
      String hint =
          refusedCredentials(e)
              ? "; fix the user or password of --clickhouse (or " + ClickHouseUrl.PASSWORD_ENV + ")"
              : "";
      throw new StoreException(
          "cannot open the ClickHouse store " + url + ": " + e.getMessage() + hint, e);
    }
    return store;
  }

  /** Wrong user or password, or a user without the rights: no retry can fix it. */
  private static boolean refusedCredentials(StoreException e) {
    return e.getCause() instanceof ServerException se
        && (se.getTransportProtocolCode() == 401
            || se.getTransportProtocolCode() == 403
            || se.getCode() == AUTHENTICATION_FAILED
            || se.getCode() == UNKNOWN_USER
            || se.getCode() == ACCESS_DENIED);
  }

  /** A client for the store at {@code url}, as the loader and the dashboard use it. */
  static Client.Builder clientBuilder(ClickHouseUrl url, String clientName) {
    return new Client.Builder()
        .addEndpoint(url.endpoint())
        .setUsername(url.user())
        .setPassword(url.password())
        .setDefaultDatabase(url.database())
        .setClientName(clientName)
        .compressServerResponse(false)
        .setConnectTimeout(10, java.time.temporal.ChronoUnit.SECONDS);
  }

  private void setRawTtl(Duration retention) throws StoreException {
    if (retention.isZero()) {
      try {
        execute(ClickHouseSql.statement(layout, "remove_raw_ttl"), Map.of());
      } catch (StoreException e) {
        if (!(e.getCause() instanceof ServerException se && se.getCode() == UNKNOWN_TTL)) {
          throw e;
        }
      }
    } else {
      long seconds = Math.min(Math.max(1, retention.toSeconds()), 0xFFFF_FFFFL);
      execute(ClickHouseSql.statement(layout, "set_raw_ttl"), Map.of("seconds", seconds));
    }
  }

  @Override
  public synchronized BatchWriter begin() throws StoreException {
    if (batchOpen) {
      throw new IllegalStateException("a batch is already open");
    }
    // Orders this loader's batches like DuckDB's counter; batches of several loaders interleave.
    long batchId = Math.max(lastBatchId + 1, System.currentTimeMillis() * 1000);
    lastBatchId = batchId;
    try {
      Batch b = new Batch(batchId);
      batchOpen = true;
      return b;
    } catch (IOException e) {
      throw new StoreException("cannot start a batch: " + e.getMessage(), e);
    }
  }

  /**
   * Streams rows into JSONEachRow spill files, so a large batch costs no heap; commit decides which
   * silver and bronze rows go out, by line.
   */
  private final class Batch implements BatchWriter {
    private final long batchId;
    private final Path dir;
    private final Path silverFile;
    private final Path bronzeFile;
    private final Path quarantineFile;
    private final OutputStream silverOut;
    private final OutputStream bronzeOut;
    private final OutputStream quarantineOut;
    private final JsonGenerator silver;
    private final JsonGenerator bronze;
    private final JsonGenerator quarantine;
    private final List<UUID> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final Set<UUID> ids = new HashSet<>();
    private final Set<String> quarantineHashes = new HashSet<>();
    private final Map<String, String> resumeIds = new LinkedHashMap<>();
    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;
    private int received;
    private int repeatedInBatch;
    private int quarantined;
    private int canaries;
    private boolean done;

    Batch(long batchId) throws IOException {
      this.batchId = batchId;
      this.dir = Files.createTempDirectory("wiki-events-batch");
      this.silverFile = dir.resolve("wiki.ndjson");
      this.bronzeFile = dir.resolve("wiki_raw.ndjson");
      this.quarantineFile = dir.resolve("wiki_quarantine.ndjson");
      this.silverOut = new BufferedOutputStream(Files.newOutputStream(silverFile));
      this.bronzeOut = new BufferedOutputStream(Files.newOutputStream(bronzeFile));
      this.quarantineOut = new BufferedOutputStream(Files.newOutputStream(quarantineFile));
      this.silver = ClickHouseRows.generator(silverOut);
      this.bronze = ClickHouseRows.generator(bronzeOut);
      this.quarantine = ClickHouseRows.generator(quarantineOut);
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
          WikiEvent e = a.event();
          if (ids.add(e.eventId())) {
            lines.add(e.eventId());
            times.add(e.eventTimeMillis());
            minTime = Math.min(minTime, e.eventTimeMillis());
            maxTime = Math.max(maxTime, e.eventTimeMillis());
            ClickHouseRows.silver(silver, batchId, raw, e);
            ClickHouseRows.bronze(bronze, batchId, raw, e);
          } else {
            repeatedInBatch++;
          }
        } else if (r instanceof ParseResult.Rejected rej) {
          String hash = Sha256.hex(raw.data());
          if (quarantineHashes.add(hash)) {
            ClickHouseRows.quarantine(quarantine, hash, raw, rej.reason());
          }
          quarantined++;
        } else {
          canaries++;
        }
      } catch (IOException e) {
        throw new StoreException("cannot add an event to the batch: " + e.getMessage(), e);
      }
    }

    @Override
    public WriteResult commit() throws StoreException {
      try {
        flushFiles();
        Set<UUID> seen = seen(ids, minTime, maxTime);
        // Asked after silver: a retention pass that removed an id before that lookup has moved
        // the horizon before it, so the event is either found or refused here.
        long keptFrom = silverKeptFrom();
        if (minTime < keptFrom) {
          for (int i = 0; i < lines.size(); i++) {
            if (times.get(i) < keptFrom) {
              // Silver no longer holds this time, so it cannot tell whether gold counted the
              // event already: a replayed old recording must not count it twice.
              seen.add(lines.get(i));
            }
          }
        }
        int stored = ids.size() - seen.size();
        String token = token(seen);
        if (stored > 0) {
          insert("wiki_raw", bronzeFile, token, seen);
        }
        if (!quarantineHashes.isEmpty()) {
          insert("wiki_quarantine", quarantineFile, token, Set.of());
        }
        if (stored > 0) {
          // Last of the data: the views add it to gold, and its ids mark the events as stored.
          insert(Silver.TABLE, silverFile, token, seen);
        }
        if (!resumeIds.isEmpty()) {
          writeCheckpoints(resumeIds);
        }
        done = true;
        return new WriteResult(
            received, stored, repeatedInBatch + seen.size(), quarantined, canaries);
      } catch (IOException e) {
        throw new StoreException(
            "batch of " + received + " events not committed: " + e.getMessage(), e);
      }
    }

    private void flushFiles() throws IOException {
      silver.close();
      bronze.close();
      quarantine.close();
      silverOut.close();
      bronzeOut.close();
      quarantineOut.close();
    }

    /** The same rows give the same token, so the server drops an insert it already has. */
    private String token(Set<UUID> seen) {
      MessageDigest md = sha256();
      for (UUID id : lines) {
        if (!seen.contains(id)) {
          md.update(id.toString().getBytes(StandardCharsets.US_ASCII));
        }
      }
      md.update((byte) '|');
      quarantineHashes.stream()
          .sorted()
          .forEach(h -> md.update(h.getBytes(StandardCharsets.US_ASCII)));
      return "wiki-events-" + HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    private void insert(String table, Path file, String token, Set<UUID> skip)
        throws StoreException {
      List<UUID> order = skip.isEmpty() ? null : lines;
      ClickHouseStore.this.insert(
          table, out -> copyRows(file, order, skip, out), token, "batch " + batchId);
    }

    @Override
    public void close() throws StoreException {
      batchClosed();
      try {
        if (!done) {
          flushFiles();
        }
      } catch (IOException ignored) {
        // The batch is being discarded; its files go below.
      } finally {
        deleteQuietly(silverFile, bronzeFile, quarantineFile, dir);
      }
    }
  }

  private synchronized void batchClosed() {
    batchOpen = false;
  }

  /** Copies the lines of {@code file}, leaving out line i when {@code order[i]} is in skip. */
  static void copyRows(Path file, List<UUID> order, Set<UUID> skip, OutputStream out)
      throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      int line = 0;
      boolean keep = order == null || !skip.contains(order.get(0));
      int b;
      while ((b = in.read()) >= 0) {
        if (keep) {
          out.write(b);
        }
        if (b == '\n') {
          line++;
          keep = order == null || line >= order.size() || !skip.contains(order.get(line));
        }
      }
    }
  }

  /** Which of {@code ids} silver holds already, asked in chunks. */
  private Set<UUID> seen(Set<UUID> ids, long minTime, long maxTime) throws StoreException {
    Set<UUID> seen = new HashSet<>();
    if (ids.isEmpty()) {
      return seen;
    }
    List<UUID> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += LOOKUP_CHUNK) {
      List<UUID> chunk = all.subList(i, Math.min(all.size(), i + LOOKUP_CHUNK));
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("from", ClickHouseRows.time(minTime));
      params.put("to", ClickHouseRows.time(maxTime));
      params.put("ids", uuidArray(chunk));
      for (GenericRecord r : query(seenIds, params)) {
        seen.add(UUID.fromString(r.getString(1)));
      }
    }
    return seen;
  }

  /** A ClickHouse array literal of UUIDs; safe to build as text since a UUID is only hex digits. */
  static String uuidArray(List<UUID> ids) {
    StringBuilder sb = new StringBuilder(ids.size() * 39 + 2).append('[');
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('\'').append(ids.get(i)).append('\'');
    }
    return sb.append(']').toString();
  }

  private void writeCheckpoints(Map<String, String> resumeIds) throws StoreException {
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    long now = System.currentTimeMillis();
    try (JsonGenerator g = ClickHouseRows.generator(rows)) {
      for (Map.Entry<String, String> e : resumeIds.entrySet()) {
        ClickHouseRows.checkpoint(g, e.getKey(), e.getValue(), now);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = rows.toByteArray();
    insert("wiki_checkpoint", out -> out.write(bytes), null, "resume point");
  }

  @Override
  public void recordAlert(Alert alert) throws StoreException {
    ByteArrayOutputStream row = new ByteArrayOutputStream();
    try (JsonGenerator g = ClickHouseRows.generator(row)) {
      ClickHouseRows.alert(g, alert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = row.toByteArray();
    String token =
        "alert:"
            + alert.at().toEpochMilli()
            + ":"
            + alert.rule()
            + ":"
            + alert.state()
            + ":"
            + Sha256.hex(alert.subject());
    insert("wiki_alerts", out -> out.write(bytes), token, "alert");
  }

  /** One insert, retried with the same token: if an attempt did land, the server drops the next. */
  private void insert(String table, RowWriter rows, String token, String what)
      throws StoreException {
    InsertSettings settings = new InsertSettings();
    if (token != null) {
      settings.setDeduplicationToken(token);
    }
    Exception last = null;
    for (int attempt = 1; attempt <= INSERT_ATTEMPTS; attempt++) {
      try {
        client
            .insert(table, rows::write, ClickHouseFormat.JSONEachRow, settings)
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .close();
        return;
      } catch (ExecutionException | TimeoutException | ClickHouseException e) {
        last = e;
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (cause instanceof ServerException se && !se.isRetryable()) {
          break;
        }
        log.warn("insert into {} ({}) failed, attempt {}: {}", table, what, attempt, oneLine(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while inserting into " + table, e);
      } catch (Exception e) {
        last = e;
        break;
      }
    }
    throw new StoreException("insert into " + table + " failed: " + oneLine(last), last);
  }

  /** Writes an insert's rows; may be called again when the insert is retried. */
  @FunctionalInterface
  private interface RowWriter {
    void write(OutputStream out) throws IOException;
  }

  @Override
  public StoreReader reader() throws StoreException {
    return ClickHouseReader.open(url);
  }

  @Override
  public Optional<String> checkpoint(String stream) throws StoreException {
    List<GenericRecord> rows =
        query(SqlScript.statement(DIALECT, "select_checkpoint"), Map.of("stream", stream));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getString(1));
  }

  @Override
  public long expireRaw(Instant cutoff) throws StoreException {
    Map<String, Object> params = Map.of("cutoff", ClickHouseRows.time(cutoff.toEpochMilli()));
    long n = query(SqlScript.statement(DIALECT, "count_raw_before"), params).get(0).getLong(1);
    if (n > 0) {
      execute(ClickHouseSql.statement(layout, "expire_raw"), params);
    }
    return n;
  }

  /** Reads silver's horizon from the store; it only moves forward. */
  private long silverKeptFrom() throws StoreException {
    List<GenericRecord> rows =
        query(SqlScript.statement(DIALECT, "select_silver_kept_from"), Map.of());
    long t = rows.isEmpty() ? -1 : rows.get(0).getLong(1);
    long kept = Math.max(silverKeptFrom, t);
    silverKeptFrom = kept;
    return kept;
  }

  /**
   * Expires per-minute gold in one lightweight delete per table, then silver a month (partition) at
   * a time, oldest first: a month wholly before the cutoff is dropped whole, the month the cutoff
   * falls in loses its rows before the cutoff by a lightweight delete. Before each unit its horizon
   * is recorded, so no batch stores an event of the removed time again. Windows count back from the
   * newest event time, not from now: a TTL would count from now and empty a replay of an old
   * recording. The views feed gold on inserts only, so gold is not touched.
   */
  @Override
  public Expired expire(Retention retention, Duration budget) throws StoreException {
    long deadline = System.nanoTime() + budget.toNanos();
    GenericRecord bounds = query(SqlScript.statement(DIALECT, "expiry_bounds"), Map.of()).get(0);
    long newest = bounds.getLong(1);
    long keptFrom = bounds.getLong(2);
    if (newest < 0) {
      return new Expired(0, 0, true);
    }
    long minutely = 0;
    if (!retention.minutely().isZero()) {
      long cutoff = newest - retention.minutely().toMillis();
      Map<String, Object> params = Map.of("cutoff", cutoff);
      minutely = query(SqlScript.statement(DIALECT, "count_minutely"), params).get(0).getLong(1);
      if (minutely > 0) {
        record("minutely", cutoff, minutely);
        for (String sql : ClickHouseSql.statements(layout, "expire_minutely")) {
          execute(sql, params);
        }
      }
    }
    long silver = 0;
    boolean done = true;
    if (!retention.silver().isZero()) {
      long cutoff = newest - retention.silver().toMillis();
      List<GenericRecord> months =
          query(
              SqlScript.statement(DIALECT, "silver_months"),
              Map.of("from", Math.max(0, keptFrom), "cutoff", cutoff));
      int units = 0;
      for (GenericRecord m : months) {
        // At least one unit a pass, so passes make progress whatever the budget.
        if (units++ > 0 && System.nanoTime() > deadline) {
          done = false;
          break;
        }
        long month = m.getLong(1);
        long monthEnd = monthEnd(month);
        boolean whole = monthEnd <= cutoff;
        long to = whole ? monthEnd : cutoff;
        Map<String, Object> params = Map.of("month", month, "cutoff", to);
        long n = query(SqlScript.statement(DIALECT, "count_silver"), params).get(0).getLong(1);
        record("silver", to, n);
        silverKeptFrom = Math.max(silverKeptFrom, to);
        if (n > 0) {
          String unit = whole ? "drop_silver_month" : "expire_silver";
          execute(ClickHouseSql.statement(layout, unit), params);
        }
        silver += n;
      }
    }
    return new Expired(silver, minutely, done);
  }

  /** The first millisecond after the month {@code yyyymm}, UTC. */
  static long monthEnd(long yyyymm) {
    return java.time.YearMonth.of((int) (yyyymm / 100), (int) (yyyymm % 100))
        .plusMonths(1)
        .atDay(1)
        .atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant()
        .toEpochMilli();
  }

  private void record(String tier, long keptFrom, long expired) throws StoreException {
    execute(
        ClickHouseSql.statement(layout, "record_retention"),
        Map.of("tier", tier, "kept_from", keptFrom, "expired", expired));
  }

  private List<GenericRecord> query(String sql, Map<String, Object> params) throws StoreException {
    try {
      return client.queryAll(sql, params);
    } catch (RuntimeException e) {
      throw new StoreException(oneLine(e), e);
    }
  }

  private void execute(String sql, Map<String, Object> params) throws StoreException {
    try {
      client.execute(sql, params).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
    } catch (ExecutionException e) {
      throw new StoreException(oneLine(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted", e);
    } catch (Exception e) {
      throw new StoreException(oneLine(e), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return url.toString();
  }

  static String oneLine(Throwable t) {
    Throwable e = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    String msg = String.valueOf(e.getMessage());
    return msg.lines().findFirst().orElse(msg).strip();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path... paths) {
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // A leftover temp file is harmless.
      }
    }
  }
}
