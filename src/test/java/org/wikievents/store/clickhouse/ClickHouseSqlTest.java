package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikievents.store.NamedSql;
import org.wikievents.store.SqlScript;

/**
 * The ClickHouse SQL resources, read as text: they split into statements, and both layouts keep the
 * logical tables of the DuckDB schema with the same columns in the same order, so queries port.
 * (ClickHouseStoreContractTest also has ClickHouse itself parse every statement.)
 */
class ClickHouseSqlTest {
  private static final Pattern TABLE =
      Pattern.compile(
          "CREATE TABLE IF NOT EXISTS (\\w+)(?: ON CLUSTER '\\{cluster\\}')? \\((.*?)\\n\\)",
          Pattern.DOTALL);
  private static final Pattern VIEW =
      Pattern.compile("CREATE (?:OR REPLACE )?VIEW (?:IF NOT EXISTS )?(\\w+)");

  /** Tables DuckDB needs for its own way of deduplicating; ClickHouse asks silver instead. */

  /** The resources ClickHouseStore loads per layout, and those both layouts share. */
  private static final List<String> PER_LAYOUT =
      List.of("schema", "expire_raw", "set_raw_ttl", "remove_raw_ttl");

  private static final List<String> SHARED =
      List.of("select_seen_ids", "select_checkpoint", "count_raw_before");

  /** The tables of DuckDB's schema, or of ClickHouse's as one server has them. */
  static Map<String, List<String>> tables(String dialect) {
    return dialect.equals(ClickHouseStore.DIALECT)
        ? tables(ClickHouseStore.Layout.SINGLE)
        : tables(SqlScript.statements(dialect, "schema"));
  }

  static Map<String, List<String>> tables(ClickHouseStore.Layout layout) {
    return tables(ClickHouseSql.statements(layout, "schema"));
  }

  static Map<String, List<String>> tables(List<String> statements) {
    String sql = String.join(";\n", statements);
    Map<String, List<String>> out = new LinkedHashMap<>();
    Matcher m = TABLE.matcher(sql);
    while (m.find()) {
      List<String> columns =
          m.group(2)
              .lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("PRIMARY KEY"))
              .map(l -> l.split("\\s+")[0].replace("\"", ""))
              .toList();
      out.put(m.group(1), columns);
    }
    return out;
  }

  /**
   * DuckDB's tables as ClickHouse has them: DuckDB's bronze is the wiki_raw view over files
   * (raw_view.sql) rather than a table, and wiki_raw_files lists those files.
   */
  private static Map<String, List<String>> duckDbLogicalTables() {
    Map<String, List<String>> out =
        new LinkedHashMap<>(tables(SqlScript.statements("duckdb", "schema")));
    assertThat(out.remove("wiki_raw_files")).isNotNull();
    // The DuckDB file's own bookkeeping: its layout version and its Parquet copies. (How far
    // retention reached, wiki_retention, both engines keep.)
    for (String own : List.of("wiki_layout", "wiki_parquet_files", "wiki_parquet_gold_files")) {
      assertThat(out.remove(own)).as(own).isNotNull();
    }
    Matcher select =
        Pattern.compile("SELECT (.*?)\\s+FROM", Pattern.DOTALL)
            .matcher(SqlScript.statement("duckdb", "raw_view"));
    assertThat(select.find()).isTrue();
    out.put("wiki_raw", List.of(select.group(1).split(",\\s*")));
    return out;
  }

  private static List<String> views(List<String> statements) {
    String sql = String.join(";\n", statements);
    return VIEW.matcher(sql).results().map(r -> r.group(1)).toList();
  }

  /** The store's statements (both layouts render them); not the dashboard's (api/). */
  static Stream<Path> files() throws IOException {
    // The dashboard's read queries (api/) are checked against DuckDB's by ClickHouseReaderTest.
    return Files.list(Path.of("src/main/resources/sql", ClickHouseStore.DIALECT))
        .filter(Files::isRegularFile)
        .sorted();
  }

  @ParameterizedTest
  @EnumSource(ClickHouseStore.Layout.class)
  void everyFileSplitsIntoWholeStatements(ClickHouseStore.Layout layout) throws IOException {
    try (Stream<Path> files = files()) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString().replace(".sql", "");
        List<String> statements = ClickHouseSql.statements(layout, name);
        assertThat(statements).as(name).isNotEmpty();
        for (String s : statements) {
          assertThat(s)
              .as(name)
              .matches("(?s)(CREATE|SELECT|DELETE|ALTER|INSERT) .*")
              .doesNotContain(";");
        }
      }
    }
    for (String name : PER_LAYOUT) {
      assertThat(ClickHouseSql.statements(layout, name)).as(name).isNotEmpty();
    }
    for (String name : SHARED) {
      assertThat(SqlScript.statement(ClickHouseStore.DIALECT, name)).as(name).isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(ClickHouseStore.Layout.class)
  void theLogicalTablesAreDuckDbsWithTheSameColumnsInTheSameOrder(ClickHouseStore.Layout layout) {
    Map<String, List<String>> duckdb = duckDbLogicalTables();
    Map<String, List<String>> clickhouse = tables(layout);

    if (layout == ClickHouseStore.Layout.SINGLE) {
      assertThat(clickhouse).isEqualTo(duckdb);
    } else {
      Map<String, List<String>> local = new LinkedHashMap<>();
      clickhouse.forEach((table, columns) -> local.put(table.replaceFirst("_local$", ""), columns));
      assertThat(local).isEqualTo(duckdb);
      String sql =
          String.join(";\n", ClickHouseSql.statements(layout, "schema")).replaceAll("\\s+", " ");
      for (String table : duckdb.keySet()) {
        assertThat(sql)
            .as("a Distributed %s over %s_local", table, table)
            .contains(
                "CREATE TABLE IF NOT EXISTS "
                    + table
                    + " ON CLUSTER '{cluster}' AS "
                    + table
                    + "_local ENGINE = Distributed('{cluster}', currentDatabase(), "
                    + table
                    + "_local, ");
      }
    }
    assertThat(views(ClickHouseSql.statements(layout, "schema")))
        .as("views")
        .containsExactlyInAnyOrderElementsOf(views(SqlScript.statements("duckdb", "schema")));
  }

  @ParameterizedTest
  @EnumSource(ClickHouseStore.Layout.class)
  void everyGoldTableIsFedByAViewOnSilverThatNamesEachOfItsColumns(ClickHouseStore.Layout layout) {
    String suffix = layout == ClickHouseStore.Layout.SINGLE ? "" : "_local";
    Map<String, List<String>> tables = tables(layout);
    List<String> statements = ClickHouseSql.statements(layout, "schema");
    List<String> gold =
        tables.keySet().stream()
            .filter(
                t ->
                    t.matches(
                        "wiki_(.*_summary|weekdays_(totals|hours)|(minutely|hourly|daily)_detail"
                            + "|minutely_totals)"
                            + suffix))
            .toList();
    assertThat(gold).hasSize(13);
    for (String table : gold) {
      String view =
          statements.stream()
              .filter(s -> s.matches("(?s)CREATE MATERIALIZED VIEW .*\\sTO " + table + " AS\\s.*"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no view feeds " + table));
      assertThat(view).contains("FROM wiki" + suffix + " GROUP BY");
      for (String column : tables.get(table)) {
        assertThat(view).as(table).containsPattern("AS \"?" + column + "\"?[,\\s]");
      }
    }
  }

  @Test
  void theDashboardQueriesAreDuckDbsWithTheSameParameters() throws IOException {
    Path api = Path.of("src/main/resources/sql/duckdb/api");
    List<String> queries;
    try (Stream<Path> files = Files.walk(api)) {
      queries =
          files
              .filter(f -> f.toString().endsWith(".sql"))
              .map(f -> api.relativize(f).toString().replace(".sql", ""))
              .toList();
    }
    // 19 for the default windows and the live feed, 14 for a range (api/range/)
    assertThat(queries).hasSize(33);
    for (String q : queries) {
      List<String> duck = NamedSql.parse(SqlScript.statement("duckdb", "api/" + q)).names();
      String sql = SqlScript.statement(ClickHouseStore.DIALECT, "api/" + q);
      for (String name : duck) {
        assertThat(sql).as(q).contains("{" + name + ":");
      }
      java.util.Set<String> declared = new java.util.TreeSet<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([a-z_]+):").matcher(sql);
      while (m.find()) {
        declared.add(m.group(1));
      }
      assertThat(declared)
          .as(q + " declares only DuckDB's parameters")
          .isEqualTo(new java.util.TreeSet<>(duck));
    }
  }
}
