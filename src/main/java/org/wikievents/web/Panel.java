package org.wikievents.web;

import io.javalin.http.BadRequestResponse;
import java.util.List;
import java.util.Map;

/**
 * One panel of the page and its endpoint {@code /api/<path>}: the read query behind it and the
 * windows it accepts ({@code range}); the first window is the default and the one the page shows.
 */
enum Panel {
  KPIS("kpis", "kpis"),
  TIMELINE("timeline", "timeline_minutely", "24h", "1h", "7d"),
  TIMELINE_HOURLY("timeline-hourly", "timeline_hourly", "7d", "24h"),
  TOP_WIKIS("top-wikis", "top_wikis", "24h", "1h", "1m"),
  TYPES("types", "types", "24h", "1h", "1m"),
  NAMESPACES("namespaces", "namespaces"),
  HEATMAP("heatmap", "heatmap"),
  TOP_PAGES("top-pages", "top_pages"),
  EDITORS("editors", "editors"),
  NEW_PAGES("new-pages", "new_pages"),
  FEED("feed", "feed"),
  SPIKES("spikes", "spikes"),
  PAGE_SPIKES("page-spikes", "page_spikes"),
  ALERTS("alerts", "alerts");

  private static final Map<String, Integer> MINUTES =
      Map.of("1m", 1, "1h", 60, "24h", 24 * 60, "7d", 7 * 24 * 60);

  final String path;
  final List<String> ranges;
  private final String query;

  Panel(String path, String query, String... ranges) {
    this.path = path;
    this.query = query;
    this.ranges = List.of(ranges);
  }

  /** The read query that serves this panel for the given window. */
  String query(String range) {
    return this == TIMELINE && "7d".equals(range) ? TIMELINE_HOURLY.query : query;
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
