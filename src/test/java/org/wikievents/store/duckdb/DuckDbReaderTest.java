package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.Snapshot;
import org.wikievents.store.SqlScript;
import org.wikievents.store.Table;
import org.wikievents.store.clickhouse.ClickHouseReaderTest;
import org.wikievents.testing.Samples;

/**
 * A read of several queries runs them on two connections at once and still answers from one
 * committed state of the store, also while batches commit.
 */
class DuckDbReaderTest {
  private static final int EVENTS_PER_BATCH = 40;

  @TempDir Path dir;

  private static Map<String, Object> params() {
    Map<String, Object> p = new HashMap<>();
    p.put("wiki", null);
    p.put("bot", null);
    p.put("type", null);
    p.put("minutes", 24 * 60);
    p.put("hours", 7 * 24);
    return p;
  }

  @Test
  void aReadOfEveryPanelAnswersWhatEachQueryAnswersAlone() throws Exception {
    try (DuckDbReader reader = DuckDbReader.openReadOnly(Samples.multiwikiReplayed())) {
      Snapshot all = reader.read(ClickHouseReaderTest.QUERIES, params());
      assertThat(reader.alignment()[0]).as("reads on both connections").isEqualTo(1);
      for (String name : ClickHouseReaderTest.QUERIES) {
        Snapshot alone = reader.read(List.of(name), params());
        assertThat(all.table(name)).as(name).isEqualTo(alone.table(name));
        assertThat(all.asOf()).isEqualTo(alone.asOf());
      }
    }
  }

  @Test
  void aMissingParameterIsNamedAndTheNextReadSeesNewCommits() throws Exception {
    try (Writer writer = new Writer(dir.resolve("store.duckdb"));
        DuckDbReader reader = new DuckDbReader(writer.newConnection())) {
      writer.commitBatch();
      Map<String, Object> noWindow = params();
      noWindow.remove("minutes");
      assertThatThrownBy(() -> reader.read(List.of("kpis", "types"), noWindow))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(":minutes");
      writer.commitBatch();
      Table wikis = reader.read(List.of("wikis", "kpis"), params()).table("wikis");
      assertThat(sum(wikis, "events")).isEqualTo(2 * EVENTS_PER_BATCH);
    }
  }

  /** A store written as the loader writes it, one batch (silver and gold) per commit. */
  private static final class Writer implements AutoCloseable {
    private final DuckDBConnection conn;
    private final List<String> mergeGold = SqlScript.statements(DuckDbStore.DIALECT, "merge_gold");
    private long batches;

    Writer(Path db) throws Exception {
      DuckDbStore.open(db).close(); // the schema
      conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + db);
      conn.setAutoCommit(false);
    }

    /** Adds one batch of events, all within the same minute, as the loader would commit it. */
    void commitBatch() throws Exception {
      long batch = ++batches;
      try (PreparedStatement ps =
          conn.prepareStatement(
              "INSERT INTO wiki (event_id, event_time, ingest_time, wiki, type, \"user\", batch_id)"
                  + " SELECT gen_random_uuid(),"
                  + " TIMESTAMP '2026-05-05 12:00:00' + to_milliseconds((? * ? + i) * 5),"
                  + " TIMESTAMP '2026-05-05 12:00:00', ['enwiki', 'dewiki', 'frwiki'][i % 3 + 1],"
                  + " ['edit', 'new', 'log'][i % 3 + 1], 'user' || (i % 7), ?"
                  + " FROM range(?) AS r(i)")) {
        ps.setLong(1, batch);
        ps.setLong(2, EVENTS_PER_BATCH);
        ps.setLong(3, batch);
        ps.setLong(4, EVENTS_PER_BATCH);
        ps.execute();
      }
      for (String sql : mergeGold) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
          for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
            ps.setLong(i, batch);
          }
          ps.execute();
        }
      }
      conn.commit();
    }

    Connection newConnection() throws Exception {
      Connection c = conn.duplicate();
      c.setAutoCommit(false);
      return c;
    }

    @Override
    public void close() throws Exception {
      conn.close();
    }
  }

  @Test
  void transactionsStartedAroundACommitReadDifferentVersions() throws Exception {
    try (Writer writer = new Writer(dir.resolve("store.duckdb"));
        Connection a = writer.newConnection();
        Connection b = writer.newConnection()) {
      writer.commitBatch();
      long before = DuckDbQueries.version(a);
      writer.commitBatch();
      assertThat(DuckDbQueries.version(b)).isEqualTo(before + EVENTS_PER_BATCH);
      assertThat(DuckDbQueries.version(a))
          .as("a's transaction still sees its start")
          .isEqualTo(before);
      a.rollback();
      b.rollback();
      assertThat(DuckDbQueries.version(a)).isEqualTo(DuckDbQueries.version(b));
    }
  }

  @Test
  void everyPanelOfASnapshotSeesTheSameBatchesWhileBatchesCommit() throws Exception {
    // Every event lies in the same two minutes, inside every panel's window: in one committed
    // state the silver count (kpis), the per-wiki totals (wikis) and the per-type and per-minute
    // gold (types, timeline_minutely) all count the same events.
    List<String> panels = List.of("kpis", "wikis", "types", "timeline_minutely", "top_wikis");
    try (Writer writer = new Writer(dir.resolve("store.duckdb"));
        DuckDbReader reader = new DuckDbReader(writer.newConnection())) {
      writer.commitBatch();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Exception> failed = new AtomicReference<>();
      AtomicLong commits = new AtomicLong();
      Thread t =
          new Thread(
              () -> {
                try {
                  while (!stop.get() && commits.get() < 150) {
                    writer.commitBatch();
                    commits.incrementAndGet();
                  }
                } catch (Exception e) {
                  failed.set(e);
                }
              });
      t.start();
      long seen = 0;
      int reads = 0;
      try {
        while (t.isAlive() || reads < 50) {
          Snapshot s = reader.read(panels, params());
          long silver = sum(s.table("kpis"), "events") + sum(s.table("kpis"), "events_before");
          assertThat(sum(s.table("wikis"), "events")).as("wikis").isEqualTo(silver);
          assertThat(sum(s.table("types"), "events")).as("types").isEqualTo(silver);
          assertThat(sum(s.table("timeline_minutely"), "events")).as("timeline").isEqualTo(silver);
          assertThat(sum(s.table("top_wikis"), "events")).as("top wikis").isEqualTo(silver);
          assertThat(silver % EVENTS_PER_BATCH).as("whole batches").isZero();
          assertThat(silver).as("never goes back").isGreaterThanOrEqualTo(seen);
          seen = silver;
          reads++;
        }
      } finally {
        stop.set(true);
        t.join();
      }
      assertThat(failed.get()).isNull();
      assertThat(seen).isPositive();
      assertThat(reader.alignment()[0]).as("reads on both connections").isPositive();
    }
  }

  private static long sum(Table t, String column) {
    int i = t.columns().indexOf(column);
    assertThat(i).as(column).isNotNegative();
    long n = 0;
    for (List<Object> row : t.rows()) {
      n += ((Number) row.get(i)).longValue();
    }
    return n;
  }
}
