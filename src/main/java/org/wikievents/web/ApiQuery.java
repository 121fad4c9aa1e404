package org.wikievents.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated query string of an API request: filters (wiki, bot, type) that apply to every
 * panel, a window ({@code range}) for the panels that take one, and the output format. Anything
 * else is refused with a 400 and a message.
 *
 * @param wiki a wiki database name (enwiki) or null for all
 * @param who {@code bot} for bots only, {@code human} for humans only, null for both
 * @param type an event type or null for all
 * @param range a window ({@code 1m}, {@code 1h}, {@code 24h}, {@code 7d}) or null for the default
 * @param span the range given by {@code from} and {@code to}, or null
 * @param title a page title (drill-down, {@code /api/changes} only) or null
 * @param user an editor's name (drill-down, {@code /api/changes} only) or null
 * @param csv whether CSV was asked for instead of JSON
 */
record ApiQuery(
    String wiki,
    String who,
    String type,
    String range,
    TimeRange span,
    String title,
    String user,
    boolean csv) {
  static final List<String> TYPES = List.of("edit", "new", "log", "categorize", "external");
  private static final Set<String> PARAMS =
      Set.of("wiki", "bot", "type", "range", "from", "to", "title", "user", "format");
  private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
  private static final Pattern WIKI = Pattern.compile("[a-z0-9_\\-]{1,64}");

  static ApiQuery of(Context ctx) {
    String raw = ctx.queryString();
    if (raw != null && BAD_ESCAPE.matcher(raw).find()) {
      // The decoder would drop such a value silently and answer for "all".
      throw new BadRequestResponse("the query string is badly percent-encoded");
    }
    Map<String, List<String>> q = ctx.queryParamMap();
    for (Map.Entry<String, List<String>> e : q.entrySet()) {
      if (!PARAMS.contains(e.getKey())) {
        throw new BadRequestResponse(
            "unknown parameter '"
                + shorten(e.getKey())
                + "' (known: wiki, bot, type, range, from, to, title, user, format)");
      }
      if (e.getValue().size() > 1) {
        throw new BadRequestResponse("parameter '" + e.getKey() + "' given more than once");
      }
    }
    String wiki = blankToNull(ctx.queryParam("wiki"));
    if (wiki != null && !WIKI.matcher(wiki).matches()) {
      throw new BadRequestResponse("'" + shorten(wiki) + "' is not a wiki name (like enwiki)");
    }
    String type = blankToNull(ctx.queryParam("type"));
    if (type != null && !TYPES.contains(type)) {
      throw new BadRequestResponse(
          "unknown type '" + shorten(type) + "' (known: " + String.join(", ", TYPES) + ")");
    }
    String format = blankToNull(ctx.queryParam("format"));
    if (format != null && !format.equals("json") && !format.equals("csv")) {
      throw new BadRequestResponse("unknown format '" + shorten(format) + "' (json or csv)");
    }
    String who = blankToNull(ctx.queryParam("bot"));
    if (who != null && !who.equals("bot") && !who.equals("human")) {
      throw new BadRequestResponse("bot must be 'bot' or 'human', not '" + shorten(who) + "'");
    }
    String range = blankToNull(ctx.queryParam("range"));
    String from = blankToNull(ctx.queryParam("from"));
    String to = blankToNull(ctx.queryParam("to"));
    TimeRange span = null;
    if (from != null || to != null) {
      if (range != null) {
        throw new BadRequestResponse("give either range or from and to, not both");
      }
      span = TimeRange.parse(from, to);
    }
    return new ApiQuery(
        wiki,
        who,
        type,
        range,
        span,
        text("title", ctx.queryParam("title"), 512),
        text("user", ctx.queryParam("user"), 255),
        "csv".equals(format));
  }

  /** A page title or user name: free text, but one line and of a sane length. */
  private static String text(String name, String v, int max) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestResponse(name + " must be one line of at most " + max + " characters");
    }
    return v;
  }

  /** The named parameters of the filter, for the read queries. */
  Map<String, Object> filterParams() {
    Map<String, Object> p = new HashMap<>();
    p.put("wiki", wiki);
    p.put("bot", who == null ? null : who.equals("bot"));
    p.put("type", type);
    return p;
  }

  /** Whether the query asks for a range (a preset or from/to) rather than the default windows. */
  boolean isRange() {
    return span != null || range != null;
  }

  /** What reads alike for equal keys (live streams, shared reads): the filter and the range. */
  String filterKey() {
    return (wiki == null ? "" : wiki)
        + "|"
        + who
        + "|"
        + (type == null ? "" : type)
        + "|"
        + range
        + "|"
        + (span == null ? "" : span.from() + "/" + span.to());
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Echoed input is capped: it is written by whoever sent the request. */
  static String shorten(String v) {
    String s = v.replaceAll("\\p{Cntrl}", "?");
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
