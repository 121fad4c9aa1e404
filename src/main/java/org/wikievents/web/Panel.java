package org.wikievents.web;

import io.javalin.http.BadRequestResponse;
import java.util.List;
import java.util.Map;

/**
 * One panel of the page and its endpoint {@code /api/<path>}: the read query behind it and the
 * windows it accepts ({@code range}); the first window is the default and the one the page shows.
 * Given {@code from} and {@code to}, a panel reads its range query ({@code api/range/<name>.sql})
 * instead; the heatmap and the usual levels describe the whole store and read the same query.
 */
@SuppressWarnings("ImmutableEnumChecker") // ranges is a List.of, immutable
enum Panel {
  KPIS("kpis", "kpis", true),
  TIMELINE("timeline", "timeline_minutely", false, "24h", "1h", "7d"),
  TIMELINE_HOURLY("timeline-hourly", "timeline_hourly", false, "7d", "24h"),
  TOP_WIKIS("top-wikis", "top_wikis", false, "24h", "1h", "1m"),
  TYPES("types", "types", false, "24h", "1h", "1m"),
  NAMESPACES("namespaces", "namespaces", true),
  HEATMAP("heatmap", "heatmap", false),
  USUAL("usual", "usual", false),
  TOP_PAGES("top-pages", "top_pages", true),
  EDITORS("editors", "editors", true),
  NEW_PAGES("new-pages", "new_pages", true),
  FEED("feed", "feed", true),
  SPIKES("spikes", "spikes", false),
  PAGE_SPIKES("page-spikes", "page_spikes", true),
  ALERTS("alerts", "alerts", false);

  /** The panels whose queries read silver, which retention shortens (the others read gold). */
  private static final Map<String, Integer> MINUTES =
      Map.of("1m", 1, "1h", 60, "24h", 24 * 60, "7d", 7 * 24 * 60);

  final String path;
  final List<String> ranges;

  /** Whether the panel reads silver (and so sees only silver's window). */
  final boolean silver;

  private final String query;

  Panel(String path, String query, boolean silver, String... ranges) {
    this.path = path;
    this.query = query;
    this.silver = silver;
    this.ranges = List.of(ranges);
  }

  /** The read query that serves this panel for the given window. */
  String query(String range) {
    return this == TIMELINE && "7d".equals(range) ? TIMELINE_HOURLY.query : query;
  }

  /** Whether the panel reads silver, so can answer only from the snapshot's silverFrom on. */
  boolean readsSilver() {
    return silver;
  }

  /** The read query that serves this panel over a {@link TimeRange}. */
  String rangeQuery() {
    return switch (this) {
      case HEATMAP, USUAL, ALERTS -> query;
      case TIMELINE -> "range/timeline";
      default -> "range/" + query;
    };
  }

  /** The panel's table name in a snapshot (what the page and the live stream use). */
  String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Adds the window parameters ({@code :minutes}, {@code :hours}) for the given range. */
  Map<String, Object> withWindow(Map<String, Object> params, String range) {
    String r = range == null ? (ranges.isEmpty() ? null : ranges.get(0)) : range;
    if (range != null && !ranges.contains(range)) {
      throw new BadRequestResponse(
          ranges.isEmpty()
              ? "/api/" + path + " takes no range"
              : "range must be one of " + String.join(", ", ranges) + " for /api/" + path);
    }
    int minutes = r == null ? 60 : MINUTES.get(r);
    params.put("minutes", minutes);
    params.put("hours", Math.max(1, minutes / 60));
    return params;
  }
}
