package org.wikievents.testing;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A ClickHouse store's silver and gold read the way a dashboard must read them: FINAL on silver,
 * sum() and uniqExactMerge() over gold's partial rows; keys as GoldRecompute writes them.
 */
public final class ClickHouseTables {
  private static final String MINUTE = "formatDateTime(\"interval\", '%Y-%m-%dT%H:%i')";

  private ClickHouseTables() {}

  /** The event ids silver holds. */
  public static Set<String> silverIds(Client c) {
    Set<String> out = new HashSet<>();
    for (GenericRecord r : c.queryAll("SELECT toString(event_id) FROM wiki FINAL")) {
      out.add(r.getString(1));
    }
    return out;
  }

  /** The gold tables GoldRecompute recomputes. */
  public static StoreTables.GoldTables gold(Client c) {
    Function<GenericRecord, Long> events = r -> r.getLong(2);
    return new StoreTables.GoldTables(
        map(c, "SELECT " + MINUTE + ", sum(events) FROM wiki_minutely_summary GROUP BY 1", events),
        map(c, "SELECT " + MINUTE + ", sum(events) FROM wiki_hourly_summary GROUP BY 1", events),
        map(
            c,
            "SELECT concat("
                + MINUTE
                + ", ' ', wiki_name), sum(events)"
                + " FROM wiki_minutely_bywiki_summary GROUP BY 1",
            events),
        map(
            c,
            "SELECT concat("
                + MINUTE
                + ", ' ', wiki_name), sum(events)"
                + " FROM wiki_hourly_bywiki_summary GROUP BY 1",
            events),
        map(c, "SELECT wiki_name, sum(events) FROM wiki_bywiki_summary GROUP BY 1", events),
        map(
            c,
            "SELECT concat(wiki_name, ' ', toString(weekday), ' ', toString(hour)), events"
                + " FROM wiki_weekdays_summary",
            r -> r.getDouble(2)));
  }

  /** The rows of {@code sql} (key, value), keyed by the first column. */
  public static <T> Map<String, T> map(Client c, String sql, Function<GenericRecord, T> value) {
    Map<String, T> out = new TreeMap<>();
    for (GenericRecord r : c.queryAll(sql)) {
      out.put(r.getString(1), value.apply(r));
    }
    return out;
  }
}
