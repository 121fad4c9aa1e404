package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreContract;
import org.wikievents.store.StoreException;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables.GoldTables;

/**
 * The store contract on the ClickHouse server named by {@code WIKI_EVENTS_CLICKHOUSE_URL}, each
 * test in a database of its own. Gold is read the way a dashboard must read it: sum() and
 * uniqExactMerge() over the partial rows, FINAL on the Replacing tables.
 */
class ClickHouseStoreContractTest extends StoreContract {
  private ClickHouseServer.Database db;
  private ClickHouseUrl url;
  private Client admin;

  @BeforeEach
  void createDatabase() throws Exception {
    db = ClickHouseServer.createDatabase("wiki_events_test");
    url = db.url();
    admin = db.admin();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private static Client client(ClickHouseUrl u) {
    return ClickHouseServer.client(u);
  }

  @Override
  protected EventStore open(Duration rawRetention) {
    try {
      return ClickHouseStore.open(url, ClickHouseStore.Layout.SINGLE, rawRetention);
    } catch (StoreException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Override
  protected Tables tables() {
    Client c = client(url);
    return new Tables() {
      private <T> Map<String, T> map(String sql, Function<GenericRecord, T> value) {
        Map<String, T> out = new TreeMap<>();
        for (GenericRecord r : c.queryAll(sql)) {
          out.put(r.getString(1), value.apply(r));
        }
        return out;
      }

      private Set<String> strings(String sql) {
        Set<String> out = new HashSet<>();
        for (GenericRecord r : c.queryAll(sql)) {
          out.add(r.getString(1));
        }
        return out;
      }

      @Override
      public long rows(String table) {
        return c.queryAll("SELECT count() FROM " + table + " FINAL").get(0).getLong(1);
      }

      @Override
      public Set<String> eventIds() {
        return strings("SELECT toString(event_id) FROM wiki FINAL");
      }

      @Override
      public Set<String> rawData() {
        return strings("SELECT data FROM wiki_raw FINAL");
      }

      @Override
      public Set<String> titles() {
        return strings("SELECT title FROM wiki FINAL");
      }

      @Override
      public List<String> quarantineReasons() {
        return c
            .queryAll(
                "SELECT splitByChar(':', reason)[1] AS r FROM wiki_quarantine FINAL ORDER BY r")
            .stream()
            .map(r -> r.getString(1))
            .toList();
      }

      @Override
      public GoldTables gold() {
        String minute = "formatDateTime(\"interval\", '%Y-%m-%dT%H:%i')";
        Function<GenericRecord, Long> events = r -> r.getLong(2);
        return new GoldTables(
            map("SELECT " + minute + ", sum(events) FROM wiki_minutely_summary GROUP BY 1", events),
            map("SELECT " + minute + ", sum(events) FROM wiki_hourly_summary GROUP BY 1", events),
            map(
                "SELECT concat("
                    + minute
                    + ", ' ', wiki_name), sum(events)"
                    + " FROM wiki_minutely_bywiki_summary GROUP BY 1",
                events),
            map(
                "SELECT concat("
                    + minute
                    + ", ' ', wiki_name), sum(events)"
                    + " FROM wiki_hourly_bywiki_summary GROUP BY 1",
                events),
            map("SELECT wiki_name, sum(events) FROM wiki_bywiki_summary GROUP BY 1", events),
            map(
                "SELECT concat(wiki_name, ' ', toString(weekday), ' ', toString(hour)), events"
                    + " FROM wiki_weekdays_summary",
                r -> r.getDouble(2)));
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  @Test
  void anInsertRetriedWithItsTokenIsDroppedFromSilverAndGoldAlike() throws Exception {
    EventParser parser = new EventParser();
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    List<String> lines = Samples.lines(Samples.NEW_ITEMS_2018);
    try (JsonGenerator g = ClickHouseRows.generator(rows)) {
      for (String line : lines) {
        RawEvent raw = RawEvent.of("replay", null, line, 0);
        ClickHouseRows.silver(g, 1, raw, ((ParseResult.Accepted) parser.parse(raw)).event());
      }
    }
    try (EventStore store = open(Duration.ZERO);
        Client c = client(url)) {
      for (String token : List.of("batch-a", "batch-a", "batch-b")) {
        c.insert(
                "wiki",
                new ByteArrayInputStream(rows.toByteArray()),
                ClickHouseFormat.JSONEachRow,
                new InsertSettings()
                    .setDeduplicationToken(token)
                    .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1"))
            .get(60, TimeUnit.SECONDS)
            .close();
      }
    }

    try (Tables t = tables()) {
      // batch-a once, and batch-b: the same rows under another token are a new insert.
      assertThat(t.gold().byWiki()).containsExactly(Map.entry("wikidatawiki", 2L * lines.size()));
      assertThat(t.rows("wiki")).as("silver folds the copies").isEqualTo(lines.size());
    }
  }

  @Test
  void clickHouseParsesEveryStatementOfBothLayouts() throws Exception {
    // The cluster layout cannot run here (no replicas); its text is checked by ClickHouse's parser.
    int parsed = 0;
    for (ClickHouseStore.Layout layout : ClickHouseStore.Layout.values()) {
      List<Path> files;
      try (Stream<Path> s = ClickHouseSqlTest.files()) {
        files = s.toList();
      }
      for (Path f : files) {
        String name = f.getFileName().toString().replace(".sql", "");
        for (String sql : ClickHouseSql.statements(layout, name)) {
          List<GenericRecord> r =
              admin.queryAll("SELECT formatQuery({q:String})", Map.of("q", sql));
          assertThat(r).as(name).hasSize(1);
          parsed++;
        }
      }
    }
    assertThat(parsed).isGreaterThan(40);
  }
}
