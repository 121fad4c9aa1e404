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
    return new Rule() {
      @Override
      public String name() {
        return "wiki_spike";
      }

      @Override
      public Map<String, String> breaches() throws StoreException {
        Snapshot s = reader.read(List.of("spikes"), unfiltered());
        Table t = s.table("spikes");
        Map<String, String> out = new LinkedHashMap<>();
        for (List<Object> r : t.rows()) {
          Map<String, Object> row = row(t, r);
          double f = number(row.get("factor"));
          long events = (long) number(row.get("events"));
          if (f >= factor && events >= minEvents) {
            String wiki = String.valueOf(row.get("wiki"));
            out.put(
                wiki,
                String.format(
                    Locale.ROOT,
                    "%s: %d changes in the last hour, %.1f× its usual %.1f for %s",
                    wiki,
                    events,
                    f,
                    number(row.get("usual")),
                    slot(s.asOf())));
          }
        }
        return out;
      }
    };
  }

  /** A page changed {@code factor} × more in the last 10 minutes than in the 50 before. */
  static Rule page(StoreReader reader, double factor, long minEvents) {
    return new Rule() {
      @Override
      public String name() {
        return "page_spike";
      }

      @Override
      public Map<String, String> breaches() throws StoreException {
        Table t = reader.read(List.of("page_spikes"), unfiltered()).table("page_spikes");
        Map<String, String> out = new LinkedHashMap<>();
        for (List<Object> r : t.rows()) {
          Map<String, Object> row = row(t, r);
          double f = number(row.get("factor"));
          long events = (long) number(row.get("events"));
          if (f >= factor && events >= minEvents) {
            String subject = row.get("wiki") + ":" + row.get("title");
            out.put(
                subject,
                String.format(
                    Locale.ROOT,
                    "%s on %s: %d changes in 10 minutes, %.1f× its rate in the 50 before",
                    row.get("title"),
                    row.get("server_name") == null ? row.get("wiki") : row.get("server_name"),
                    events,
                    f));
          }
        }
        return out;
      }
    };
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
