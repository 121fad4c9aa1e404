package org.wikievents.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for option values; each failure is a one-line message. */
final class Converters {
  private Converters() {}

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** {@code 0}, {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}, or ISO-8601. */
  /** A count that must be at least 1. */
  static final class PositiveConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // falls through to the message below
      }
      throw new TypeConversionException("'" + value + "' is not a positive number");
    }
  }

  /** A bad batch size is a bad flag: exit 2 with the range, like every other flag. */
  static final class BatchSizeConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1 && n <= 1_000_000) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // falls through to the message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a batch size (1 to 1000000 events)");
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parseDuration(value);
    }
  }

  static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 30s, 15m, 2h, 1d)");
    }
  }

  /** {@code max} (0) or a positive multiple of real time. */
  static final class SpeedConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      if (value.equalsIgnoreCase("max")) {
        return 0.0;
      }
      try {
        double d = Double.parseDouble(value);
        if (d > 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException ignored) {
        // falls through to the message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a speed: use 'max' or a positive multiple of real time");
    }
  }

  /**
   * A point in time for {@code since}: ISO-8601 ({@code 2026-05-05T11:00:00Z}, {@code 2026-05-05}),
   * epoch milliseconds, or a duration back from now ({@code 2h}). Returned as the ISO-8601 text the
   * server takes.
   */
  static final class SinceConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.trim();
      Instant at;
      try {
        if (v.matches("\\d{10,}")) {
          at = Instant.ofEpochMilli(Long.parseLong(v));
        } else if (v.matches("\\d+(ms|s|m|h|d)")) {
          at = Instant.now().minus(parseDuration(v));
        } else if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
          at = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
          at = OffsetDateTime.parse(v).toInstant();
        }
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a time (examples: 2026-05-05T11:00:00Z, 2026-05-05, 2h)");
      }
      if (at.isAfter(Instant.now())) {
        throw new TypeConversionException("'" + value + "' is in the future");
      }
      return at.toString();
    }
  }

  /** An absolute http(s) URL. */
  static final class UrlConverter implements ITypeConverter<HttpUrl> {
    @Override
    public HttpUrl convert(String value) {
      HttpUrl url = HttpUrl.parse(value.trim());
      if (url == null) {
        throw new TypeConversionException("'" + value + "' is not an http(s) URL");
      }
      return url;
    }
  }
}
