package org.wikievents.web;

import io.javalin.http.BadRequestResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A window of event time, {@code from} inclusive and {@code to} exclusive, widened to whole buckets
 * of its resolution so that every panel (gold by minute or hour, silver by event) counts the same
 * events. The resolution follows the span, which bounds the points of a timeline: per minute up to
 * a day (1,440 points), per hour up to 60 days (1,440), per day up to 20 years (7,305).
 *
 * <p>Panels that read silver (single changes) read at most the newest {@link #SILVER_CAP} of a
 * range, from {@link #silverFrom()}: grouping a month of single changes takes tens of seconds per
 * request, a day about one.
 */
record TimeRange(Instant from, Instant to, Resolution resolution) {
  static final Duration MAX_SPAN = Duration.ofDays(20 * 366);

  /** The most of a range, counted back from its end, that the silver panels read. */
  static final Duration SILVER_CAP = Duration.ofHours(24);

  private static final Instant EARLIEST = Instant.parse("2001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
  private static final Pattern EPOCH_MS = Pattern.compile("-?[0-9]{1,15}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** The bucket of a timeline, and the SQL name of {@code date_trunc}'s unit. */
  enum Resolution {
    MINUTE(ChronoUnit.MINUTES, Duration.ofMinutes(1)),
    HOUR(ChronoUnit.HOURS, Duration.ofHours(1)),
    DAY(ChronoUnit.DAYS, Duration.ofDays(1));

    final ChronoUnit unit;
    final Duration length;

    Resolution(ChronoUnit unit, Duration length) {
      this.unit = unit;
      this.length = length;
    }

    static Resolution of(Duration span) {
      if (span.compareTo(Duration.ofDays(1)) <= 0) {
        return MINUTE;
      }
      return span.compareTo(Duration.ofDays(60)) <= 0 ? HOUR : DAY;
    }

    String sql() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Parses {@code from} and {@code to} as the API takes them; a bad value is a 400. */
  static TimeRange parse(String from, String to) {
    if (from == null || to == null) {
      throw new BadRequestResponse("from and to go together (give both, or use range)");
    }
    Instant f = instant("from", from);
    Instant t = instant("to", to);
    if (!f.isBefore(t)) {
      throw new BadRequestResponse("from must be before to (to is exclusive)");
    }
    if (Duration.between(f, t).compareTo(MAX_SPAN) > 0) {
      throw new BadRequestResponse("the range is longer than 20 years");
    }
    return covering(f, t);
  }

  /** The smallest range of whole buckets that holds {@code [from, to)}. */
  static TimeRange covering(Instant from, Instant to) {
    Resolution r = Resolution.of(Duration.between(from, to));
    return new TimeRange(floor(from, r), ceil(to, r), r);
  }

  /** The last {@code span} of whole buckets up to and including the bucket of {@code newest}. */
  static TimeRange ending(Instant newest, Duration span) {
    Resolution r = Resolution.of(span);
    Instant to = floor(newest, r).plus(r.length);
    return new TimeRange(floor(to.minus(span), r), to, r);
  }

  Duration span() {
    return Duration.between(from, to);
  }

  /** Where the silver panels start reading: {@code from}, or {@link #SILVER_CAP} before the end. */
  Instant silverFrom() {
    Instant capped = to.minus(SILVER_CAP);
    return capped.isAfter(from) ? capped : from;
  }

  /** Whether the silver panels read less than the whole range. */
  boolean silverCapped() {
    return silverFrom().isAfter(from);
  }

  /** The resolution of the coarser of the two timelines: per hour, or per day for long spans. */
  Resolution coarse() {
    return resolution == Resolution.DAY ? Resolution.DAY : Resolution.HOUR;
  }

  /**
   * Whether the range ends at or before {@code newest}: nothing later can change it but a late
   * event.
   */
  boolean endsBy(Instant newest) {
    return newest != null && !to.isAfter(newest);
  }

  /**
   * Adds the range's named parameters: {@code :range_from}, {@code :range_to}, {@code :res} and
   * {@code :coarse} (date_trunc units), {@code :range_before} (the start of the equal span before,
   * for the cards' comparison), {@code :range_split} (the start of the range's last sixth, the
   * "recent" part of page spikes) and {@code :range_seconds}; and the same for the silver panels,
   * which read only {@code [silver_from, range_to)} (see {@link #silverFrom()}): {@code
   * :silver_from}, {@code :silver_split} (the start of the last sixth of that span) and {@code
   * :silver_before} (the start of the equal span before it, for the editors card). For a range of
   * at most {@link #SILVER_CAP} they equal range_from, range_split and range_before.
   */
  Map<String, Object> addTo(Map<String, Object> params) {
    Instant silver = silverFrom();
    Duration silverSpan = Duration.between(silver, to);
    params.put("range_from", utc(from));
    params.put("range_to", utc(to));
    params.put("range_before", utc(from.minus(span())));
    params.put("range_split", utc(to.minus(span().dividedBy(6))));
    params.put("range_seconds", span().toSeconds());
    params.put("silver_from", utc(silver));
    params.put("silver_before", utc(silver.minus(silverSpan)));
    params.put("silver_split", utc(to.minus(silverSpan.dividedBy(6))));
    params.put("res", resolution.sql());
    params.put("coarse", coarse().sql());
    return params;
  }

  private static LocalDateTime utc(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private static Instant floor(Instant t, Resolution r) {
    return t.truncatedTo(r.unit);
  }

  private static Instant ceil(Instant t, Resolution r) {
    Instant f = floor(t, r);
    return f.equals(t) ? t : f.plus(r.length);
  }

  private static Instant instant(String name, String v) {
    Instant t;
    try {
      if (EPOCH_MS.matcher(v).matches()) {
        t = Instant.ofEpochMilli(Long.parseLong(v));
      } else if (DATE.matcher(v).matches()) {
        t = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else {
        t = OffsetDateTime.parse(v).toInstant();
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadRequestResponse(
          name
              + " '"
              + ApiQuery.shorten(v)
              + "' is not a time (like 2026-05-05T11:00:00Z, 2026-05-05 or epoch milliseconds)");
    }
    if (t.isBefore(EARLIEST) || !t.isBefore(LATEST)) {
      throw new BadRequestResponse(name + " must lie between 2001 and 2100");
    }
    return t;
  }
}
