package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.wikievents.testing.ClickHouseServer;

/**
 * Both layouts rendered from the one SQL source (ClickHouseSql). The single-server rendering runs
 * on ClickHouse's engine; the cluster rendering cannot run there (no Keeper, no shards: chdb is
 * clickhouse-local), so it is checked as text here and parsed by ClickHouse in
 * ClickHouseStoreContractTest.
 */
class ClickHouseLayoutsTest {
  private static final String REPLICATED =
      "ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard}/\\{database}/\\{table}',"
          + " '\\{replica}'";

  private static List<String> names() throws Exception {
    try (Stream<Path> files = ClickHouseSqlTest.files()) {
      return files.map(f -> f.getFileName().toString().replace(".sql", "")).toList();
    }
  }

  @Test
  void noPlaceholderIsLeftInEitherLayout() throws Exception {
    for (ClickHouseStore.Layout layout : ClickHouseStore.Layout.values()) {
      for (String name : names()) {
        for (String sql : ClickHouseSql.statements(layout, name)) {
          assertThat(sql).as(layout + " " + name).doesNotContain("{{").doesNotContain("}}");
        }
      }
    }
  }

  @Test
  void theSingleServerLayoutRunsTwiceOnTheEngineAndMakesPlainTablesOnly() throws Exception {
    try (ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_layout");
        Client c = ClickHouseServer.client(db.url())) {
      List<String> schema = ClickHouseSql.statements(ClickHouseStore.Layout.SINGLE, "schema");
      for (int run = 0; run < 2; run++) {
        for (String sql : schema) {
          c.execute(sql).get(60, TimeUnit.SECONDS).close();
        }
      }
      Map<String, String> engines = new TreeMap<>();
      for (GenericRecord r :
          c.queryAll(
              "SELECT name, engine FROM system.tables WHERE database = {db:String}",
              Map.of("db", db.url().database()))) {
        engines.put(r.getString(1), r.getString(2));
      }
      assertThat(engines.keySet())
          .containsAll(ClickHouseSqlTest.tables(ClickHouseStore.Layout.SINGLE).keySet());
      assertThat(engines.values())
          .allSatisfy(
              e -> assertThat(e).doesNotStartWith("Replicated").isNotEqualTo("Distributed"));
      assertThat(engines.get("wiki")).isEqualTo("ReplacingMergeTree");
      assertThat(engines.get("wiki_hourly_summary")).isEqualTo("SummingMergeTree");
      assertThat(engines.get("wiki_hourly_summary_mv")).isEqualTo("MaterializedView");

      Map<String, Map<String, Object>> params =
          Map.of(
              "set_raw_ttl", Map.of("seconds", 3600),
              "remove_raw_ttl", Map.of(),
              "expire_raw", Map.of("cutoff", "2026-01-01 00:00:00.000"));
      for (String name : List.of("set_raw_ttl", "remove_raw_ttl", "expire_raw")) {
        String sql = ClickHouseSql.statement(ClickHouseStore.Layout.SINGLE, name);
        assertThat(sql).as(name).doesNotContain("ON CLUSTER").doesNotContain("_local");
        c.execute(sql, params.get(name)).get(60, TimeUnit.SECONDS).close();
      }
    }
  }

  @Test
  void theClusterLayoutPutsEveryTableReplicatedOnEveryShardBehindADistributedTable()
      throws Exception {
    ClickHouseStore.Layout cluster = ClickHouseStore.Layout.CLUSTER;
    List<String> schema = ClickHouseSql.statements(cluster, "schema");
    Map<String, List<String>> tables = ClickHouseSqlTest.tables(cluster);
    Map<String, List<String>> single = ClickHouseSqlTest.tables(ClickHouseStore.Layout.SINGLE);

    assertThat(tables.keySet())
        .as("the single layout's tables, each as <name>_local")
        .containsExactlyElementsOf(single.keySet().stream().map(t -> t + "_local").toList());
    for (String sql : schema) {
      assertThat(sql).as("every statement runs on every server").contains("ON CLUSTER '{cluster}'");
      assertThat(sql).doesNotContain("non_replicated_deduplication_window");
      if (sql.matches("(?s)CREATE TABLE IF NOT EXISTS \\w+ ON CLUSTER '\\{cluster}' \\(.*")) {
        assertThat(sql).as("a table that holds rows").containsPattern(REPLICATED);
        assertThat(sql).containsPattern("CREATE TABLE IF NOT EXISTS \\w+_local ");
      }
      if (sql.startsWith("CREATE MATERIALIZED VIEW")) {
        assertThat(sql).containsPattern("\\sTO \\w+_local AS\\s").contains("FROM wiki_local ");
      }
    }
    for (String table : single.keySet()) {
      assertThat(schema)
          .as("a Distributed %s over %s_local", table, table)
          .anyMatch(
              s ->
                  s.startsWith("CREATE TABLE IF NOT EXISTS " + table + " ON CLUSTER '{cluster}' AS")
                      && s.contains(
                          "ENGINE = Distributed('{cluster}', currentDatabase(), "
                              + table
                              + "_local, "));
    }
    // The replacing table keeps its version column after the replica path.
    assertThat(String.join("\n", schema))
        .contains(
            "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}',"
                + " '{replica}', updated_at)");
    for (String name : List.of("set_raw_ttl", "remove_raw_ttl", "expire_raw")) {
      assertThat(ClickHouseSql.statement(cluster, name))
          .as(name + " changes each shard's table")
          .containsPattern("wiki_raw_local ON CLUSTER '\\{cluster}'");
    }
  }
}
