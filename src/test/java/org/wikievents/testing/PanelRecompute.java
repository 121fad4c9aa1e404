package org.wikievents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What every dashboard panel must answer for a range {@code [from, to)} and a filter, computed here
 * from the recordings' JSON with a tree parser and plain Java collections, independently of the
 * store's SQL. Rows are lists of Long, Double, Boolean, String and null, as the API writes them.
 *
 * <p>The panels of single changes (top pages, editors, namespaces, new pages, the feed, page spikes
 * and the editors card) answer only the newest day of a longer range, as the dashboard promises.
 */
public final class PanelRecompute {
  /** The most of a range, back from its end, that the panels of single changes answer. */
  public static final Duration SINGLE_CHANGES = Duration.ofDays(1);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ANON =
      Pattern.compile("^(\\d{1,3}\\.){3}\\d{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~");

  /** One stored event, as silver keeps it. */
  record Event(
      String id,
      Instant time,
      String wiki,
      String serverName,
      String type,
      Long namespace,
      String title,
      String user,
      boolean bot,
      Long lengthOld,
      Long lengthNew,
      Long revisionOld,
      Long revisionNew,
      String comment,
      String logType,
      String logAction) {
    boolean anon() {
      return user != null && ANON.matcher(user).find();
    }

    Long bytes() {
      return lengthOld == null || lengthNew == null ? null : lengthNew - lengthOld;
    }
  }

  /** The filter of the page: null means all. */
  public record Filter(String wiki, Boolean bot, String type) {
    boolean test(Event e) {
      return (wiki == null || wiki.equals(e.wiki))
          && (bot == null || bot == e.bot)
          && (type == null || type.equals(e.type));
    }
  }

  private final List<Event> events = new ArrayList<>();

  /** Reads recordings; each valid event once by meta.id (first copy wins). */
  public static PanelRecompute of(List<String> lines) throws Exception {
    PanelRecompute r = new PanelRecompute();
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      JsonNode e = JSON.readTree(line);
      JsonNode meta = e.path("meta");
      if (!seen.add(meta.path("id").asText())) {
        continue;
      }
      r.events.add(
          new Event(
              meta.path("id").asText(),
              OffsetDateTime.parse(meta.path("dt").asText()).toInstant(),
              e.path("wiki").asText(),
              text(e, "server_name"),
              e.path("type").asText(),
              number(e.path("namespace")),
              text(e, "title"),
              text(e, "user"),
              e.path("bot").asBoolean(false),
              number(e.path("length").path("old")),
              number(e.path("length").path("new")),
              number(e.path("revision").path("old")),
              number(e.path("revision").path("new")),
              text(e, "comment"),
              text(e, "log_type"),
              text(e, "log_action")));
    }
    return r;
  }

  private static String text(JsonNode e, String field) {
    JsonNode v = e.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  private static Long number(JsonNode v) {
    return v.isNumber() ? v.asLong() : null;
  }

  private List<Event> in(Instant from, Instant to, Filter f) {
    return events.stream()
        .filter(e -> !e.time.isBefore(from) && e.time.isBefore(to) && f.test(e))
        .toList();
  }

  /** Where the panels of single changes start for a range {@code [from, to)}. */
  public static Instant singleChangesFrom(Instant from, Instant to) {
    Instant dayBeforeEnd = to.minus(SINGLE_CHANGES);
    return from.isBefore(dayBeforeEnd) ? dayBeforeEnd : from;
  }

  /** A panel's rows for the range, by the panel's key in a snapshot. */
  public List<List<Object>> panel(String key, Instant from, Instant to, String res, Filter f) {
    Instant single = singleChangesFrom(from, to);
    return switch (key) {
      case "kpis" -> kpis(from, to, single, f);
      case "timeline" -> timeline(from, to, res, f);
      case "timeline_hourly" -> timeline(from, to, res.equals("day") ? "day" : "hour", f);
      case "top_wikis" -> topWikis(from, to, f);
      case "types" -> types(from, to, f);
      case "namespaces" -> namespaces(single, to, f);
      case "heatmap" -> heatmap(f.wiki());
      case "usual" -> usual(f.wiki());
      case "top_pages" -> topPages(single, to, f);
      case "editors" -> editors(single, to, f);
      case "new_pages" -> newPages(single, to, f);
      case "feed" -> feed(in(single, to, f), 50);
      case "spikes" -> spikes(from, to, f);
      case "page_spikes" -> pageSpikes(single, to, f);
      // A replay with no alerting running records no alert, whatever the range.
      case "alerts" -> List.of();
      default -> throw new IllegalArgumentException(key);
    };
  }

  /** The changes of a page or an editor, newest first (the drill-down). */
  public List<List<Object>> changes(Instant from, Instant to, Filter f, String title, String user) {
    return feed(
        in(from, to, f).stream()
            .filter(e -> title == null || title.equals(e.title))
            .filter(e -> user == null || user.equals(e.user))
            .toList(),
        100);
  }

  /**
   * Events and wikis over the range, editors over the single changes' part {@code [single, to)}.
   */
  private List<List<Object>> kpis(Instant from, Instant to, Instant single, Filter f) {
    Duration span = Duration.between(from, to);
    List<Event> now = in(from, to, f);
    List<Event> before = in(from.minus(span), from, f);
    Duration singleSpan = Duration.between(single, to);
    List<Event> editorsNow = in(single, to, f);
    List<Event> editorsBefore = in(single.minus(singleSpan), single, f);
    long n = now.size();
    return List.of(
        Arrays.asList(
            n,
            (long) before.size(),
            distinct(editorsNow, Event::user),
            distinct(editorsBefore, Event::user),
            distinct(now, Event::wiki),
            distinct(before, Event::wiki),
            round(n / (double) span.toSeconds(), 100)));
  }

  private static long distinct(List<Event> es, Function<Event, String> key) {
    return es.stream().map(key).filter(Objects::nonNull).distinct().count();
  }

  private List<List<Object>> timeline(Instant from, Instant to, String res, Filter f) {
    ChronoUnit unit =
        switch (res) {
          case "minute" -> ChronoUnit.MINUTES;
          case "hour" -> ChronoUnit.HOURS;
          default -> ChronoUnit.DAYS;
        };
    Map<Instant, long[]> buckets = new TreeMap<>();
    for (Event e : in(from, to, f)) {
      long[] b = buckets.computeIfAbsent(e.time.truncatedTo(unit), k -> new long[7]);
      b[0]++;
      b[e.bot ? 1 : 2]++;
      b[e.anon() ? 3 : 4]++;
      Long bytes = e.bytes();
      if (bytes != null) {
        b[bytes > 0 ? 5 : 6] += Math.abs(bytes);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    buckets.forEach(
        (t, b) -> {
          List<Object> row = new ArrayList<>();
          row.add(t.toString());
          for (long v : b) {
            row.add(v);
          }
          rows.add(row);
        });
    return rows;
  }

  private List<List<Object>> topWikis(Instant from, Instant to, Filter f) {
    Map<String, long[]> by = new HashMap<>();
    for (Event e : in(from, to, f)) {
      long[] c = by.computeIfAbsent(e.wiki, k -> new long[2]);
      c[0]++;
      c[1] += e.bot ? 1 : 0;
    }
    return by.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, long[]> x) -> -x.getValue()[0])
                .thenComparing(Map.Entry::getKey))
        .limit(20)
        .map(x -> List.<Object>of(x.getKey(), x.getValue()[0], x.getValue()[1]))
        .toList();
  }

  private List<List<Object>> types(Instant from, Instant to, Filter f) {
    return counted(in(from, to, f), Event::type, Comparator.naturalOrder(), Integer.MAX_VALUE);
  }

  private List<List<Object>> namespaces(Instant from, Instant to, Filter f) {
    return counted(
        in(from, to, f), Event::namespace, Comparator.nullsLast(Comparator.naturalOrder()), 15);
  }

  /** Counts by key, most first, ties by key; a row is {@code [key, count]}. */
  private static <K> List<List<Object>> counted(
      List<Event> es, Function<Event, K> key, Comparator<K> order, int limit) {
    Map<K, Long> by = new HashMap<>();
    for (Event e : es) {
      by.merge(key.apply(e), 1L, Long::sum);
    }
    return by.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<K, Long> x) -> -x.getValue())
                .thenComparing(Map.Entry::getKey, order))
        .limit(limit)
        .map(x -> Arrays.<Object>asList(x.getKey(), x.getValue()))
        .toList();
  }

  /** Clock hours with events (all wikis), per weekday-hour slot: the divisor of the averages. */
  private Map<String, Long> slotHours() {
    Map<String, Long> hours = new HashMap<>();
    events.stream()
        .map(e -> e.time.truncatedTo(ChronoUnit.HOURS))
        .distinct()
        .forEach(h -> hours.merge(slot(h), 1L, Long::sum));
    return hours;
  }

  private static String slot(Instant t) {
    var d = t.atOffset(ZoneOffset.UTC);
    return d.getDayOfWeek().getValue() + " " + d.getHour();
  }

  /** The average events of a wiki (or all) per clock hour of each slot. */
  private Map<String, Double> slotAverages(String wiki) {
    Map<String, Long> hours = slotHours();
    Map<String, Double> avg = new TreeMap<>();
    for (Event e : events) {
      if (wiki == null || wiki.equals(e.wiki)) {
        avg.merge(slot(e.time), 1.0, Double::sum);
      }
    }
    avg.replaceAll((k, v) -> v / hours.get(k));
    return avg;
  }

  private List<List<Object>> heatmap(String wiki) {
    return slotAverages(wiki).entrySet().stream()
        .map(
            x -> {
              String[] s = x.getKey().split(" ");
              return List.<Object>of(
                  Long.parseLong(s[0]), Long.parseLong(s[1]), round(x.getValue(), 10));
            })
        .sorted(slotOrder())
        .toList();
  }

  private static Comparator<List<Object>> slotOrder() {
    return Comparator.comparingLong((List<Object> r) -> (Long) r.get(0))
        .thenComparingLong(r -> (Long) r.get(1));
  }

  private List<List<Object>> usual(String wiki) {
    Map<Instant, Long> perHour = new HashMap<>();
    for (Event e : events) {
      if (wiki == null || wiki.equals(e.wiki)) {
        perHour.merge(e.time.truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
      }
    }
    Map<String, double[]> sums = new HashMap<>();
    perHour.forEach(
        (h, n) -> {
          double[] s = sums.computeIfAbsent(slot(h), k -> new double[2]);
          s[0] += n;
          s[1] += (double) n * n;
        });
    List<List<Object>> rows = new ArrayList<>();
    slotHours()
        .forEach(
            (slot, hours) -> {
              double[] s = sums.getOrDefault(slot, new double[2]);
              double mean = s[0] / hours;
              double spread = Math.sqrt(Math.max(s[1] / hours - mean * mean, 0));
              String[] k = slot.split(" ");
              rows.add(
                  List.of(
                      Long.parseLong(k[0]),
                      Long.parseLong(k[1]),
                      round(mean, 10),
                      round(spread, 10)));
            });
    rows.sort(slotOrder());
    return rows;
  }

  private List<List<Object>> topPages(Instant from, Instant to, Filter f) {
    Map<List<String>, long[]> by = new HashMap<>();
    Map<List<String>, String> server = new HashMap<>();
    for (Event e : in(from, to, f)) {
      if (e.title == null) {
        continue;
      }
      List<String> k = List.of(e.wiki, e.title);
      by.computeIfAbsent(k, x -> new long[1])[0]++;
      server.putIfAbsent(k, e.serverName);
    }
    return by.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<List<String>, long[]> x) -> -x.getValue()[0])
                .thenComparing(x -> x.getKey().get(0))
                .thenComparing(x -> x.getKey().get(1)))
        .limit(20)
        .map(
            x ->
                Arrays.<Object>asList(
                    x.getKey().get(0), server.get(x.getKey()), x.getKey().get(1), x.getValue()[0]))
        .toList();
  }

  private List<List<Object>> editors(Instant from, Instant to, Filter f) {
    Map<List<Object>, List<Event>> by =
        in(from, to, f).stream()
            .filter(e -> e.user != null)
            .collect(Collectors.groupingBy(e -> List.<Object>of(e.user, e.bot)));
    List<List<Object>> rows = new ArrayList<>();
    for (boolean bot : new boolean[] {false, true}) {
      by.entrySet().stream()
          .filter(x -> x.getKey().get(1).equals(bot))
          .map(
              x ->
                  List.<Object>of(
                      x.getKey().get(0),
                      bot,
                      (long) x.getValue().size(),
                      distinct(x.getValue(), Event::wiki)))
          .sorted(
              Comparator.comparingLong((List<Object> r) -> -(Long) r.get(2))
                  .thenComparing(r -> (String) r.get(0)))
          .limit(10)
          .forEach(rows::add);
    }
    return rows;
  }

  private static Comparator<Event> newestFirst() {
    return Comparator.comparing(Event::time).reversed().thenComparing(Event::id);
  }

  private List<List<Object>> newPages(Instant from, Instant to, Filter f) {
    return in(from, to, f).stream()
        .filter(e -> e.type.equals("new"))
        .sorted(newestFirst())
        .limit(20)
        .map(
            e ->
                Arrays.<Object>asList(
                    e.time.toString(), e.wiki, e.serverName, e.title, e.user, e.bot, e.lengthNew))
        .toList();
  }

  private static List<List<Object>> feed(List<Event> es, int limit) {
    return es.stream()
        .sorted(newestFirst())
        .limit(limit)
        .map(
            e ->
                Arrays.<Object>asList(
                    e.time.toString(),
                    e.wiki,
                    e.serverName,
                    e.type,
                    e.namespace,
                    e.title,
                    e.user,
                    e.bot,
                    e.revisionOld,
                    e.revisionNew,
                    e.bytes(),
                    e.comment,
                    e.logType,
                    e.logAction))
        .toList();
  }

  private List<List<Object>> spikes(Instant from, Instant to, Filter f) {
    Map<String, Long> byWiki = new HashMap<>();
    for (Event e : in(from, to, f)) {
      byWiki.merge(e.wiki, 1L, Long::sum);
    }
    // The share of each clock hour the range touches, by weekday-hour slot.
    Map<String, Double> share = new HashMap<>();
    for (Instant h = from.truncatedTo(ChronoUnit.HOURS);
        h.isBefore(to);
        h = h.plus(1, ChronoUnit.HOURS)) {
      Instant a = h.isAfter(from) ? h : from;
      Instant b = h.plus(1, ChronoUnit.HOURS).isBefore(to) ? h.plus(1, ChronoUnit.HOURS) : to;
      share.merge(slot(h), Duration.between(a, b).toMillis() / 3_600_000.0, Double::sum);
    }
    List<List<Object>> rows = new ArrayList<>();
    byWiki.forEach(
        (wiki, n) -> {
          double usual = 0;
          for (Map.Entry<String, Double> s : slotAverages(wiki).entrySet()) {
            usual += s.getValue() * share.getOrDefault(s.getKey(), 0.0);
          }
          double base = Math.max(usual, 1.0);
          if (n >= 20 && n >= 3 * base) {
            rows.add(List.of(wiki, n, round(usual, 10), round(n / base, 10)));
          }
        });
    rows.sort(
        Comparator.comparingDouble((List<Object> r) -> -(Double) r.get(3))
            .thenComparingLong(r -> -(Long) r.get(1))
            .thenComparing(r -> (String) r.get(0)));
    return rows.size() > 20 ? rows.subList(0, 20) : rows;
  }

  private List<List<Object>> pageSpikes(Instant from, Instant to, Filter f) {
    Instant split = to.minus(Duration.between(from, to).dividedBy(6));
    Map<List<String>, long[]> by = new LinkedHashMap<>();
    Map<List<String>, String> server = new HashMap<>();
    for (Event e : in(from, to, f)) {
      if (e.title == null) {
        continue;
      }
      List<String> k = List.of(e.wiki, e.title);
      boolean recent = !e.time.isBefore(split);
      by.computeIfAbsent(k, x -> new long[2])[recent ? 0 : 1]++;
      if (recent) {
        server.putIfAbsent(k, e.serverName);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    by.forEach(
        (k, c) -> {
          double factor = round(c[0] / Math.max(c[1] / 5.0, 1.0), 10);
          if (c[0] >= 5 && factor >= 3) {
            rows.add(Arrays.asList(k.get(0), server.get(k), k.get(1), c[0], c[1], factor));
          }
        });
    rows.sort(
        Comparator.comparingDouble((List<Object> r) -> -(Double) r.get(5))
            .thenComparingLong(r -> -(Long) r.get(3))
            .thenComparing(r -> (String) r.get(0))
            .thenComparing(r -> (String) r.get(2)));
    return rows.size() > 10 ? rows.subList(0, 10) : rows;
  }

  /** Rounds half up to 1/scale, as the stores do for positive numbers. */
  private static double round(double v, int scale) {
    return Math.floor(v * scale + 0.5) / scale;
  }
}
