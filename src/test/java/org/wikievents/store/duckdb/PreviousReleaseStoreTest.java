package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikievents.store.NewerStoreException;
import org.wikievents.store.SqlScript;
import org.wikievents.store.StoreException;
import org.wikievents.store.Table;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/**
 * Stores of the previous release (layout 1, before stores recorded their layout) opened by today's
 * program: one written by that release itself with duckdb_jdbc 1.4.4 (made once by {@code
 * src/test/resources/stores/v1/make.sh}), and one built here by today's DuckDB from layout 1's
 * schema ({@code sql/duckdb/layout1/schema.sql}) holding the same rows.
 */
class PreviousReleaseStoreTest {
  static final Path FIXTURE = Path.of("src", "test", "resources", "stores", "v1");

  /** The events in the fixture: the first 300 of the multiwiki sample, and one bad line. */
  static final int STORED = 300;

  static final String RESUME_ID =
      "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":1777975200000}]";

  /** The tables of layout 1, whose every row an upgrade keeps. */
  static final List<String> LAYOUT1_TABLES =
      List.of(
          "wiki_raw_files",
          "wiki",
          "wiki_minutely_summary",
          "wiki_hourly_summary",
          "wiki_minutely_bywiki_summary",
          "wiki_hourly_bywiki_summary",
          "wiki_bywiki_summary",
          "wiki_weekdays_totals",
          "wiki_weekdays_hours",
          "wiki_minutely_detail",
          "wiki_hourly_detail",
          "wiki_minutely_totals",
          "wiki_quarantine",
          "wiki_checkpoint");

  enum Written {
    BY_DUCKDB_1_4_4,
    FROM_LAYOUT_1_SQL
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Written.class)
  void aPreviousReleaseStoreIsUpgradedWithEveryRowItsResumePointAndItsBronze(Written how)
      throws Exception {
    Path db = previousReleaseStore(dir, how);
    Map<String, List<List<String>>> before = layout1Rows(db);
    assertThat(layoutOf(db)).isEqualTo(1);

    try (DuckDbStore store = DuckDbStore.open(db)) {
      assertThat(store.checkpoint("recentchange")).isEqualTo(Optional.of(RESUME_ID));
    }

    assertThat(layoutOf(db)).isEqualTo(DuckDbLayout.CURRENT);
    assertThat(layout1Rows(db)).isEqualTo(before);
    List<String> lines = Samples.lines(Samples.MULTIWIKI_2026).subList(0, STORED);
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(STORED);
      assertThat(t.strings("SELECT data FROM wiki_raw")).containsExactlyInAnyOrderElementsOf(lines);
      assertThat(t.count("SELECT count(*) FROM wiki_quarantine")).isEqualTo(1);
      GoldRecompute expected = GoldRecompute.of(lines);
      expected.assertMatches(t.gold());
      // Layout 2's per-day gold, filled from the hours the store had.
      Map<String, Long> days = new TreeMap<>();
      expected.hourly.forEach((h, n) -> days.merge(h.substring(0, 10), n, Long::sum));
      assertThat(
              t.longs("SELECT strftime(\"interval\", '%Y-%m-%d'), events FROM wiki_daily_summary"))
          .isEqualTo(days);
      assertThat(t.count("SELECT sum(events) FROM wiki_daily_detail")).isEqualTo(STORED);
      assertThat(t.count("SELECT sum(events) FROM wiki_daily_bywiki_summary")).isEqualTo(STORED);
    }
  }

  @ParameterizedTest
  @EnumSource(Written.class)
  void anUpgradedStoreTakesNewEventsAsAnyOtherAndServesTheDashboard(Written how) throws Exception {
    Path db = previousReleaseStore(dir, how);
    List<String> all = Samples.lines(Samples.MULTIWIKI_2026);

    try (DuckDbStore store = DuckDbStore.open(db)) {
      Samples.replay(Samples.MULTIWIKI_2026, store);
      assertThat(store.checkpoint("recentchange")).isEqualTo(Optional.of(RESUME_ID));
    }

    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(all.size());
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(all.size());
      GoldRecompute.of(all).assertMatches(t.gold());
    }
    Map<String, Object> params = new HashMap<>();
    for (String unfiltered : List.of("wiki", "bot", "type")) {
      params.put(unfiltered, null);
    }
    params.put("minutes", 24 * 60);
    params.put("hours", 7 * 24);
    try (DuckDbReader reader = DuckDbReader.openReadOnly(db)) {
      Table wikis = reader.read(List.of("wikis", "kpis"), params).table("wikis");
      int events = wikis.columns().indexOf("events");
      assertThat(wikis.rows().stream().mapToLong(r -> ((Number) r.get(events)).longValue()).sum())
          .isEqualTo(all.size());
    }
  }

  @Test
  void aFailedUpgradeLeavesTheStoreAsItWas() throws Exception {
    Path db = previousReleaseStore(dir, Written.FROM_LAYOUT_1_SQL);
    Map<String, List<List<String>>> before = layout1Rows(db);
    List<String> bronze = bronzeFiles(db);

    // This program's upgrade, then a statement that fails: everything before it must roll back.
    assertThatThrownBy(
            () ->
                DuckDbStore.open(
                    db,
                    n -> {
                      List<String> sql = new ArrayList<>(DuckDbLayout.UPGRADES.apply(n));
                      sql.add("SELECT error('the upgrade fails here')");
                      return sql;
                    }))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot upgrade the store")
        .hasMessageContaining("from layout 1 to " + DuckDbLayout.CURRENT)
        .hasMessageContaining("the upgrade fails here");

    assertThat(layoutOf(db)).isEqualTo(1);
    assertThat(layout1Rows(db)).isEqualTo(before);
    assertThat(bronzeFiles(db)).isEqualTo(bronze);
    try (DuckDbStore store = DuckDbStore.open(db)) {
      assertThat(store.checkpoint("recentchange")).isEqualTo(Optional.of(RESUME_ID));
    }
    assertThat(layoutOf(db)).isEqualTo(DuckDbLayout.CURRENT);
  }

  @Test
  void aNewStoreRecordsThisProgramsLayout() throws Exception {
    Path db = dir.resolve("new.duckdb");
    DuckDbStore.open(db).close();
    DuckDbStore.open(db).close();

    assertThat(layoutOf(db)).isEqualTo(DuckDbLayout.CURRENT);
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki_layout")).isEqualTo(1);
    }
  }

  @Test
  void aStoreOfANewerLayoutIsRefusedAndLeftAlone() throws Exception {
    Path db = dir.resolve("newer.duckdb");
    DuckDbStore.open(db).close();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO wiki_layout VALUES (99, TIMESTAMP '2027-06-01 00:00:00', 'future')");
    }
    Map<String, List<List<String>>> before = layout1Rows(db);

    String expected = "has layout 99, newer than this program's (" + DuckDbLayout.CURRENT + ")";
    assertThatThrownBy(() -> DuckDbStore.open(db))
        .isInstanceOf(NewerStoreException.class)
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> DuckDbReader.openReadOnly(db))
        .isInstanceOf(NewerStoreException.class)
        .hasMessageContaining(expected);
    assertThat(layoutOf(db)).isEqualTo(99);
    assertThat(layout1Rows(db)).isEqualTo(before);
  }

  @Test
  void theDashboardAsksForAnUpgradeOfAnOlderStoreInsteadOfFailingPanelByPanel() throws Exception {
    Path db = previousReleaseStore(dir, Written.FROM_LAYOUT_1_SQL);

    assertThatThrownBy(() -> DuckDbReader.openReadOnly(db))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(NewerStoreException.class)
        .hasMessageContaining("has layout 1, older than this program's")
        .hasMessageContaining("open it once with run, replay or loader");
    assertThat(layoutOf(db)).isEqualTo(1);
  }

  /** A store of the previous release in {@code dir}: the store file and its bronze beside it. */
  static Path previousReleaseStore(Path dir, Written how) throws Exception {
    Path written = dir.resolve("written-by-1.4.4");
    Path db = unpack(Files.createDirectories(written));
    if (how == Written.BY_DUCKDB_1_4_4) {
      return db;
    }
    Path built = Files.createDirectories(dir.resolve("built")).resolve("store.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + built);
        Statement st = c.createStatement()) {
      for (String sql : SqlScript.statements("duckdb", "layout1/schema")) {
        st.execute(sql);
      }
      st.execute("ATTACH '" + db + "' AS old (READ_ONLY)");
      for (String table : LAYOUT1_TABLES) {
        st.execute("INSERT INTO " + table + " SELECT * FROM old." + table);
      }
      st.execute("DETACH old");
    }
    copyBronze(written.resolve("store.duckdb.bronze"), built.resolveSibling("store.duckdb.bronze"));
    return built;
  }

  private static Path unpack(Path dir) throws IOException {
    Path db = dir.resolve("store.duckdb");
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(FIXTURE.resolve("store.duckdb.gz")))) {
      Files.copy(in, db);
    }
    copyBronze(FIXTURE.resolve("store.duckdb.bronze"), dir.resolve("store.duckdb.bronze"));
    return db;
  }

  private static void copyBronze(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }

  private static List<String> bronzeFiles(Path db) throws IOException {
    try (var s = Files.list(db.resolveSibling("store.duckdb.bronze"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int layoutOf(Path db) throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db, readOnly)) {
      return DuckDbLayout.version(c);
    }
  }

  /** The rows of layout 1's tables, in layout 1's columns: a later layout may add columns. */
  private static Map<String, List<List<String>>> layout1Rows(Path db) throws Exception {
    Map<String, String> columns = layout1Columns();
    Map<String, List<List<String>>> out = new TreeMap<>();
    try (StoreTables t = StoreTables.open(db)) {
      for (String table : LAYOUT1_TABLES) {
        out.put(table, t.rows("SELECT " + columns.get(table) + " FROM " + table + " ORDER BY ALL"));
      }
    }
    return out;
  }

  /** Each table's column list in layout 1, read from its schema in a database in memory. */
  private static Map<String, String> layout1Columns() throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (String sql : SqlScript.statements("duckdb", "layout1/schema")) {
        st.execute(sql);
      }
      try (var rs =
          st.executeQuery(
              "SELECT table_name, string_agg('\"' || column_name || '\"', ', '"
                  + " ORDER BY ordinal_position) FROM information_schema.columns GROUP BY ALL")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }
}
