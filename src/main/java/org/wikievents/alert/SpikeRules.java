package org.wikievents.alert;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.wikievents.store.Snapshot;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;

/**
 * The two spike rules read the Spikes panels' own queries ({@code spikes.sql}, {@code
 * page_spikes.sql}), unfiltered, so an alert is always a row the page shows; the rule's threshold
 * can only be stricter than the panel's (factor 3).
 */
final class SpikeRules {
  /** The panels' own floor: below it a row is not in the query's answer. */
  static final double PANEL_FACTOR = 3;

  private SpikeRules() {}

  /** A wiki whose last hour is {@code factor} × its usual for this weekday-hour, or more. */
  static Rule wiki(StoreReader reader, double factor, long minEvents) {
    return new Spike(
        "wiki_spike",
        reader,
        "spikes",
        factor,
        minEvents,
        row -> String.valueOf(row.get("wiki")),
        (row, asOf) ->
            String.format(
                Locale.ROOT,
                "%s: %d changes in the last hour, %.1f× its usual %.1f for %s",
                row.get("wiki"),
                (long) number(row.get("events")),
                number(row.get("factor")),
                number(row.get("usual")),
                slot(asOf)));
  }

  /** A page changed {@code factor} × more in the last 10 minutes than in the 50 before. */
  static Rule page(StoreReader reader, double factor, long minEvents) {
    return new Spike(
        "page_spike",
        reader,
        "page_spikes",
        factor,
        minEvents,
        row -> row.get("wiki") + ":" + row.get("title"),
        (row, asOf) ->
            String.format(
                Locale.ROOT,
                "%s on %s: %d changes in 10 minutes, %.1f× its rate in the 50 before",
                row.get("title"),
                row.get("server_name") == null ? row.get("wiki") : row.get("server_name"),
                (long) number(row.get("events")),
                number(row.get("factor"))));
  }

  /**
   * A spike rule over one panel query: each row whose {@code factor} and {@code events} reach the
   * thresholds breaks it.
   */
  private record Spike(
      String name,
      StoreReader reader,
      String query,
      double factor,
      long minEvents,
      Function<Map<String, Object>, String> subject,
      BiFunction<Map<String, Object>, Instant, String> message)
      implements Rule {
    @Override
    public Map<String, String> breaches() throws StoreException {
      Snapshot s = reader.read(List.of(query), unfiltered());
      Table t = s.table(query);
      Map<String, String> out = new LinkedHashMap<>();
      for (List<Object> r : t.rows()) {
        Map<String, Object> row = row(t, r);
        if (number(row.get("factor")) >= factor && number(row.get("events")) >= minEvents) {
          out.put(subject.apply(row), message.apply(row, s.asOf()));
        }
      }
      return out;
    }
  }

  private static Map<String, Object> unfiltered() {
    Map<String, Object> p = new HashMap<>();
    p.put("wiki", null);
    p.put("bot", null);
    p.put("type", null);
    return p;
  }

  private static Map<String, Object> row(Table t, List<Object> r) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < t.columns().size(); i++) {
      m.put(t.columns().get(i), r.get(i));
    }
    return m;
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o));
  }

  private static String slot(Instant asOf) {
    if (asOf == null) {
      return "this hour";
    }
    ZonedDateTime t = asOf.atZone(ZoneOffset.UTC);
    DayOfWeek d = t.getDayOfWeek();
    return String.format(
        Locale.ROOT,
        "%s %02d:00 UTC",
        d.getDisplayName(TextStyle.FULL, Locale.ENGLISH),
        t.getHour());
  }
}
