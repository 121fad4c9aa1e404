package org.wikievents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the gold tables must hold for a given input, computed here from the JSON with a tree parser
 * and plain Java maps, independently of the store's SQL. Keys are rendered as text so they compare
 * directly with rows read back from the store.
 */
public final class GoldRecompute {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final Set<String> eventIds = new HashSet<>();
  public final Map<String, Long> minutely = new TreeMap<>();
  public final Map<String, Long> hourly = new TreeMap<>();
  public final Map<String, Long> minutelyByWiki = new TreeMap<>();
  public final Map<String, Long> hourlyByWiki = new TreeMap<>();
  public final Map<String, Long> byWiki = new TreeMap<>();
  public final Map<String, Double> weekdays = new TreeMap<>();

  /** Counts each valid, non-canary event once by meta.id (first copy wins). */
  public static GoldRecompute of(List<String> lines) {
    GoldRecompute g = new GoldRecompute();
    Map<String, Long> slotTotals = new TreeMap<>();
    for (String line : lines) {
      JsonNode e;
      try {
        e = JSON.readTree(line);
      } catch (Exception ex) {
        continue;
      }
      JsonNode meta = e.path("meta");
      if (meta.path("domain").asText("").equals("canary") || !meta.path("id").isTextual()) {
        continue;
      }
      if (!g.eventIds.add(meta.path("id").asText())) {
        continue;
      }
      LocalDateTime t =
          LocalDateTime.ofInstant(
              meta.has("dt")
                  ? OffsetDateTime.parse(meta.path("dt").asText()).toInstant()
                  : Instant.ofEpochSecond(e.path("timestamp").asLong()),
              ZoneOffset.UTC);
      String wiki = e.path("wiki").asText();
      String minute = t.truncatedTo(ChronoUnit.MINUTES).toString();
      String hour = t.truncatedTo(ChronoUnit.HOURS).toString();
      g.minutely.merge(minute, 1L, Long::sum);
      g.hourly.merge(hour, 1L, Long::sum);
      g.minutelyByWiki.merge(minute + " " + wiki, 1L, Long::sum);
      g.hourlyByWiki.merge(hour + " " + wiki, 1L, Long::sum);
      g.byWiki.merge(wiki, 1L, Long::sum);
      slotTotals.merge(wiki + " " + t.getDayOfWeek().getValue() + " " + t.getHour(), 1L, Long::sum);
    }
    // The divisor: distinct clock hours of each weekday-hour slot, over all wikis.
    Map<String, Long> slotHours = new TreeMap<>();
    for (String hour : g.hourly.keySet()) {
      LocalDateTime h = LocalDateTime.parse(hour);
      DayOfWeek d = h.getDayOfWeek();
      slotHours.merge(d.getValue() + " " + h.getHour(), 1L, Long::sum);
    }
    slotTotals.forEach(
        (key, total) -> {
          String slot = key.substring(key.indexOf(' ') + 1);
          g.weekdays.put(key, (double) total / slotHours.get(slot));
        });
    return g;
  }

  /** Asserts that every gold table read back from a store equals this recomputation. */
  public void assertMatches(StoreTables.GoldTables gold) {
    assertThat(gold.minutely()).as("wiki_minutely_summary").isEqualTo(minutely);
    assertThat(gold.hourly()).as("wiki_hourly_summary").isEqualTo(hourly);
    assertThat(gold.minutelyByWiki()).as("wiki_minutely_bywiki_summary").isEqualTo(minutelyByWiki);
    assertThat(gold.hourlyByWiki()).as("wiki_hourly_bywiki_summary").isEqualTo(hourlyByWiki);
    assertThat(gold.byWiki()).as("wiki_bywiki_summary").isEqualTo(byWiki);
    assertThat(gold.weekdays()).as("wiki_weekdays_summary").isEqualTo(weekdays);
  }
}
