package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wikievents.store.Snapshot;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;

/**
 * The dashboard reads the same from ClickHouse as from DuckDB: the vendored multi-wiki sample is
 * replayed into a ClickHouse store (server named by {@code WIKI_EVENTS_CLICKHOUSE_URL}, a database
 * of its own) and compared with the DuckDB store {@code replay} makes of it, query by query, for
 * every filter and window the API offers. Values must be equal; doubles only to 1e-9.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ClickHouseReaderTest {
  /** Every file in sql/duckdb/api except asof, which each read runs first. */
  public static final List<String> QUERIES =
      List.of(
          "kpis",
          "timeline_minutely",
          "timeline_hourly",
          "top_wikis",
          "types",
          "namespaces",
          "heatmap",
          "top_pages",
          "editors",
          "new_pages",
          "feed",
          "spikes",
          "page_spikes",
          "wikis");

  /** Queries the sample gives no rows without a filter; any other empty table is a failure. */
  private static final List<String> EMPTY_ON_THE_SAMPLE = List.of("spikes");

  private ClickHouseServer.Database db;
  private ClickHouseStore clickhouseStore;
  private StoreReader clickhouse;
  private StoreReader duckdb;

  /** Once per class, but in each test's setup, so a missing server skips each test visibly. */
  @BeforeEach
  void fillBothStores() throws Exception {
    ClickHouseServer.url();
    if (db != null) {
      return;
    }
    db = ClickHouseServer.createDatabase("wiki_events_reader");
    clickhouseStore =
        ClickHouseStore.open(db.url(), ClickHouseStore.Layout.SINGLE, java.time.Duration.ZERO);
    Samples.replay(Samples.MULTIWIKI_2026, clickhouseStore);
    clickhouse = clickhouseStore.reader();
    duckdb = DuckDb.openReader(Samples.multiwikiReplayed());
  }

  @AfterAll
  void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {duckdb, clickhouse, clickhouseStore, db}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** The filters of the page: none, each alone, and all three together. */
  static Stream<Arguments> queriesAndFilters() {
    List<Arguments> out = new ArrayList<>();
    for (String q : QUERIES) {
      out.add(Arguments.of(q, "none", null, null, null));
      out.add(Arguments.of(q, "wiki", "wikidatawiki", null, null));
      out.add(Arguments.of(q, "a small wiki", "dewiki", null, null));
      out.add(Arguments.of(q, "bots", null, true, null));
      out.add(Arguments.of(q, "humans", null, false, null));
      out.add(Arguments.of(q, "type new", null, null, "new"));
      out.add(Arguments.of(q, "type log", null, null, "log"));
      out.add(Arguments.of(q, "all three", "commonswiki", false, "edit"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with filter {1}")
  @MethodSource("queriesAndFilters")
  void everyQueryReadsTheSameRowsFromBothStores(
      String query, String filter, String wiki, Boolean bot, String type) throws Exception {
    for (int minutes : new int[] {1, 60, 24 * 60, 7 * 24 * 60}) {
      Map<String, Object> params = new HashMap<>();
      params.put("wiki", wiki);
      params.put("bot", bot);
      params.put("type", type);
      params.put("minutes", minutes);
      params.put("hours", Math.max(1, minutes / 60));

      Snapshot expected = duckdb.read(List.of(query), params);
      Snapshot actual = clickhouse.read(List.of(query), params);

      String what = query + " with filter " + filter + " over " + minutes + " min";
      assertThat(actual.asOf()).as(what).isEqualTo(expected.asOf()).isNotNull();
      assertSameTable(what, expected.table(query), actual.table(query));
    }
  }

  /**
   * The live stream's feed of new rows: batch ids are each engine's own (so the order of rows from
   * different batches may differ too), but which rows are newer than a cursor, and how many, are
   * the same. The sample is one hour, so a filter that matches at most 500 changes gets all of
   * them.
   */
  @ParameterizedTest(name = "feed_since with filter {1}")
  @MethodSource("queriesAndFilters")
  void theLiveFeedOfNewRowsIsTheSameInBothStores(
      String query, String filter, String wiki, Boolean bot, String type) throws Exception {
    if (!query.equals("feed")) {
      return;
    }
    Map<String, Object> params = new HashMap<>();
    params.put("wiki", wiki);
    params.put("bot", bot);
    params.put("type", type);
    params.put("after", 0);
    List<String> names = List.of("feed_cursor", "feed_since");
    Snapshot expected = duckdb.read(names, params);
    Snapshot actual = clickhouse.read(names, params);
    assertThat((Number) actual.table("feed_cursor").rows().get(0).get(0))
        .satisfies(n -> assertThat(n.longValue()).isPositive());
    Table want = expected.table("feed_since");
    Table got = actual.table("feed_since");
    assertThat(got.columns()).isEqualTo(want.columns());
    assertThat(got.rows()).hasSameSizeAs(want.rows());
    int total = want.columns().indexOf("total");
    long matched = want.rows().isEmpty() ? 0 : ((Number) want.rows().get(0).get(total)).longValue();
    if (!got.rows().isEmpty()) {
      assertThat(((Number) got.rows().get(0).get(total)).longValue()).isEqualTo(matched);
    }
    if (matched <= 500) {
      assertThat(withoutBatch(got)).containsExactlyInAnyOrderElementsOf(withoutBatch(want));
    }
  }

  private static List<String> withoutBatch(Table t) {
    List<String> out = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      out.add(String.valueOf(r.subList(1, r.size())));
    }
    return out;
  }

  @Test
  void everyQueryButTheEmptyOnesHasRowsOnTheSample() throws Exception {
    Map<String, Object> params = new HashMap<>();
    params.put("wiki", null);
    params.put("bot", null);
    params.put("type", null);
    params.put("minutes", 24 * 60);
    params.put("hours", 7 * 24);
    Snapshot s = clickhouse.read(QUERIES, params);
    for (String q : QUERIES) {
      if (EMPTY_ON_THE_SAMPLE.contains(q)) {
        assertThat(s.table(q).rows()).as(q).isEmpty();
      } else {
        assertThat(s.table(q).rows()).as(q).isNotEmpty();
      }
    }
    assertThat(s.table("wikis").rows()).extracting(r -> r.get(0)).contains("dewiki");
  }

  /**
   * Copies of events in silver (what two racing loaders can leave, docs/clickhouse.md) are read
   * once by every query on silver. Gold counts such copies (the documented limit), so only the
   * silver queries are compared here.
   */
  @Test
  void copiesInSilverAreReadOnceByTheSilverQueries() throws Exception {
    List<String> silverQueries =
        List.of("kpis", "namespaces", "top_pages", "editors", "new_pages", "feed", "page_spikes");
    try (ClickHouseServer.Database copies = ClickHouseServer.createDatabase("wiki_events_copies");
        ClickHouseStore store =
            ClickHouseStore.open(
                copies.url(), ClickHouseStore.Layout.SINGLE, java.time.Duration.ZERO)) {
      Samples.replay(Samples.MULTIWIKI_2026, store);
      String wiki = copies.url().database() + ".wiki";
      // Background merges would fold the copies before the queries could meet them.
      execute(copies, "SYSTEM STOP MERGES " + wiki);
      execute(
          copies,
          "INSERT INTO " + wiki + " SELECT * FROM " + wiki + " SETTINGS insert_deduplicate = 0");
      assertThat(count(copies, "SELECT count() FROM " + wiki))
          .isEqualTo(2L * Samples.MULTIWIKI_EVENTS);

      try (StoreReader reader = store.reader()) {
        for (String filter : new String[] {null, "commonswiki"}) {
          Map<String, Object> params = new HashMap<>();
          params.put("wiki", filter);
          params.put("bot", null);
          params.put("type", null);
          Snapshot expected = duckdb.read(silverQueries, params);
          Snapshot actual = reader.read(silverQueries, params);
          for (String q : silverQueries) {
            assertSameTable(q + " over copies, wiki " + filter, expected.table(q), actual.table(q));
          }
        }
      }
    }
  }

  private static void execute(ClickHouseServer.Database db, String sql) throws Exception {
    db.admin().execute(sql).get(60, java.util.concurrent.TimeUnit.SECONDS).close();
  }

  private static long count(ClickHouseServer.Database db, String sql) {
    return db.admin().queryAll(sql).get(0).getLong(1);
  }

  @Test
  void aMissingParameterIsNamed() {
    assertThatThrownBy(() -> clickhouse.read(List.of("top_wikis"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs parameter :");
  }

  @Test
  void aDatabaseWithoutTheTablesIsOneClearError() throws Exception {
    try (ClickHouseServer.Database empty = ClickHouseServer.createDatabase("wiki_events_empty")) {
      assertThatThrownBy(() -> ClickHouseReader.open(empty.url()))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("cannot read the ClickHouse store " + empty.url())
          .hasMessageNotContaining("\n");
    }
  }

  private static void assertSameTable(String what, Table expected, Table actual) {
    assertThat(actual.columns()).as(what + ": columns").isEqualTo(expected.columns());
    assertThat(actual.rows()).as(what + ": row count").hasSameSizeAs(expected.rows());
    for (int r = 0; r < expected.rows().size(); r++) {
      List<Object> want = expected.rows().get(r);
      List<Object> got = actual.rows().get(r);
      for (int c = 0; c < want.size(); c++) {
        String cell = what + ": row " + r + " column " + expected.columns().get(c);
        if (want.get(c) instanceof Double d && got.get(c) instanceof Double g) {
          assertThat(g).as(cell).isCloseTo(d, org.assertj.core.data.Offset.offset(1e-9));
        } else {
          assertThat(got.get(c)).as(cell + " (row " + got + ")").isEqualTo(want.get(c));
        }
      }
    }
  }
}
