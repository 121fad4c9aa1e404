package org.wikievents.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the JSON text of a {@code recentchange} event into a {@link WikiEvent}, or says why it
 * cannot. Streaming (no tree) because this runs for every event; it reads the whole document so
 * that malformed JSON anywhere in it is caught. Thread-safe.
 */
public final class EventParser {

  /** Larger events are quarantined: real ones are a few KB; this bounds memory per event. */
  public static final int MAX_EVENT_BYTES = 1 << 20;

  static final int MAX_TITLE = 1024;
  static final int MAX_USER = 512;
  static final int MAX_COMMENT = 2048;
  static final int MAX_NAME = 256;

  private static final Set<String> TYPES = Set.of("edit", "new", "log", "categorize", "external");
  private static final Pattern WIKI_NAME = Pattern.compile("[a-z0-9_]{1,64}");
  // Event times outside this range would create absurd gold buckets: MediaWiki started in 2001.
  private static final long MIN_TIME = Instant.parse("2001-01-01T00:00:00Z").toEpochMilli();
  private static final long MAX_FUTURE_MILLIS = 24L * 3600 * 1000;

  private final JsonFactory json =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxStringLength(MAX_EVENT_BYTES)
                  .build())
          .build();

  public ParseResult parse(RawEvent raw) {
    if (raw.problem() != null) {
      return new ParseResult.Rejected(raw, raw.problem());
    }
    if (raw.utf8().length > MAX_EVENT_BYTES) {
      return new ParseResult.Rejected(
          raw, "event too large: " + raw.utf8().length + " bytes, limit " + MAX_EVENT_BYTES);
    }
    Fields f = new Fields();
    try (JsonParser p = json.createParser(raw.utf8())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new ParseResult.Rejected(raw, "not a JSON object");
      }
      readTop(p, f);
      if (p.nextToken() != null) {
        return new ParseResult.Rejected(raw, "unexpected content after the JSON object");
      }
    } catch (Invalid e) {
      return new ParseResult.Rejected(raw, e.reason);
    } catch (JsonProcessingException e) {
      return new ParseResult.Rejected(raw, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new ParseResult.Rejected(raw, "unreadable: " + e.getMessage());
    }
    return validate(raw, f);
  }

  /** The event time of a JSON event, for pacing replays; -1 if it has none. */
  public long eventTimeMillis(RawEvent raw) {
    ParseResult r = parse(raw);
    return r instanceof ParseResult.Accepted a ? a.event().eventTimeMillis() : -1;
  }

  private ParseResult validate(RawEvent raw, Fields f) {
    if (!f.hasMeta) {
      return new ParseResult.Rejected(raw, "missing meta");
    }
    if ("canary".equals(f.domain)) {
      return new ParseResult.Canary(raw);
    }
    if (f.metaId == null) {
      return new ParseResult.Rejected(raw, "missing meta.id");
    }
    long[] uuid = Uuids.parse(f.metaId);
    if (uuid == null) {
      return new ParseResult.Rejected(raw, "meta.id is not a UUID: " + clip(f.metaId, 64));
    }
    if (f.type == null) {
      return new ParseResult.Rejected(raw, "missing type");
    }
    if (!TYPES.contains(f.type)) {
      return new ParseResult.Rejected(raw, "unknown type: " + clip(f.type, 64));
    }
    if (f.wiki == null) {
      return new ParseResult.Rejected(raw, "missing wiki");
    }
    if (!WIKI_NAME.matcher(f.wiki).matches()) {
      return new ParseResult.Rejected(raw, "invalid wiki name: " + clip(f.wiki, 64));
    }
    long time;
    Long timestamp = f.timestamp;
    if (f.dt != null) {
      time = parseTime(f.dt);
      if (time == Long.MIN_VALUE) {
        if (timestamp == null) {
          return new ParseResult.Rejected(raw, "unparseable meta.dt: " + clip(f.dt, 64));
        }
        time = timestamp * 1000;
      }
    } else if (timestamp != null) {
      time = timestamp * 1000;
    } else {
      return new ParseResult.Rejected(raw, "missing event time (meta.dt and timestamp)");
    }
    if (time < MIN_TIME || time > System.currentTimeMillis() + MAX_FUTURE_MILLIS) {
      return new ParseResult.Rejected(
          raw, "event time out of range: " + Instant.ofEpochMilli(time));
    }
    return new ParseResult.Accepted(
        raw,
        new WikiEvent(
            uuid[0],
            uuid[1],
            time,
            f.wiki,
            clip(f.domain, MAX_NAME),
            f.type,
            f.namespace,
            clip(f.title, MAX_TITLE),
            clip(f.user, MAX_USER),
            f.bot,
            f.minor,
            f.patrolled,
            f.lengthOld,
            f.lengthNew,
            f.revisionOld,
            f.revisionNew,
            clip(f.logType, MAX_NAME),
            clip(f.logAction, MAX_NAME),
            clip(f.comment, MAX_COMMENT),
            clip(f.serverName, MAX_NAME),
            f.rcId));
  }

  static long parseTime(String dt) {
    long utc = parseUtc(dt);
    if (utc != Long.MIN_VALUE) {
      return utc;
    }
    try {
      return OffsetDateTime.parse(dt).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  /**
   * The form every event's meta.dt has, {@code 2026-05-05T11:00:00Z} with or without a fraction,
   * read without java.time's general parser, which took a fifth of the parse thread's time; any
   * other form gives {@code Long.MIN_VALUE} and goes to that parser.
   */
  private static long parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && (n == 21 || s.charAt(19) != '.'))) {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int millis = n > 20 ? digits(s, 20, Math.min(3, n - 21)) : 0;
    if (year < 0
        || month < 0
        || day < 0
        || hour < 0
        || minute < 0
        || second < 0
        || millis < 0
        || (n > 24 && digits(s, 23, n - 24) < 0)) {
      return Long.MIN_VALUE;
    }
    for (int i = n - 21; i < 3; i++) {
      millis *= 10;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC)
              * 1000
          + millis;
    } catch (DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void readTop(JsonParser p, Fields f) throws IOException, Invalid {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "meta" -> {
          if (t != JsonToken.START_OBJECT) {
            throw new Invalid("field meta: expected an object, got " + describe(t));
          }
          f.hasMeta = true;
          readMeta(p, f);
        }
        case "id" -> f.rcId = longOrNull(p, t, name);
        case "type" -> f.type = textOrNull(p, t, name);
        case "namespace" -> f.namespace = intOrNull(p, t, name);
        case "title" -> f.title = textOrNull(p, t, name);
        case "comment" -> f.comment = textOrNull(p, t, name);
        case "timestamp" -> f.timestamp = longOrNull(p, t, name);
        case "user" -> f.user = textOrNull(p, t, name);
        case "bot" -> f.bot = boolOrNull(t, name);
        case "minor" -> f.minor = boolOrNull(t, name);
        case "patrolled" -> f.patrolled = boolOrNull(t, name);
        case "length" -> {
          long[] v = readOldNew(p, t, name);
          f.lengthOld = box(v, 0);
          f.lengthNew = box(v, 1);
        }
        case "revision" -> {
          long[] v = readOldNew(p, t, name);
          f.revisionOld = box(v, 0);
          f.revisionNew = box(v, 1);
        }
        case "server_name" -> f.serverName = textOrNull(p, t, name);
        case "wiki" -> f.wiki = textOrNull(p, t, name);
        case "log_type" -> f.logType = textOrNull(p, t, name);
        case "log_action" -> f.logAction = textOrNull(p, t, name);
        default -> p.skipChildren();
      }
    }
  }

  private static void readMeta(JsonParser p, Fields f) throws IOException, Invalid {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> f.metaId = textOrNull(p, t, "meta.id");
        case "dt" -> f.dt = textOrNull(p, t, "meta.dt");
        case "domain" -> f.domain = textOrNull(p, t, "meta.domain");
        default -> p.skipChildren();
      }
    }
  }

  /** Reads {@code {"old": n, "new": n}}; absent or null parts are {@link Long#MIN_VALUE}. */
  private static long[] readOldNew(JsonParser p, JsonToken t, String field)
      throws IOException, Invalid {
    long[] v = {Long.MIN_VALUE, Long.MIN_VALUE};
    if (t == JsonToken.VALUE_NULL) {
      return v;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new Invalid("field " + field + ": expected an object, got " + describe(t));
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken vt = p.nextToken();
      switch (name) {
        case "old" -> v[0] = unbox(longOrNull(p, vt, field + ".old"));
        case "new" -> v[1] = unbox(longOrNull(p, vt, field + ".new"));
        default -> p.skipChildren();
      }
    }
    return v;
  }

  private static @Nullable String textOrNull(JsonParser p, JsonToken t, String field)
      throws IOException, Invalid {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new Invalid("field " + field + ": expected a string, got " + describe(t));
  }

  private static @Nullable Long longOrNull(JsonParser p, JsonToken t, String field)
      throws IOException, Invalid {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new Invalid("field " + field + ": expected an integer, got " + describe(t));
  }

  private static @Nullable Integer intOrNull(JsonParser p, JsonToken t, String field)
      throws IOException, Invalid {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new Invalid("field " + field + ": expected an integer, got " + describe(t));
  }

  private static @Nullable Boolean boolOrNull(JsonToken t, String field) throws Invalid {
    return switch (t) {
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new Invalid("field " + field + ": expected a boolean, got " + describe(t));
    };
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static @Nullable Long box(long[] v, int i) {
    return v[i] == Long.MIN_VALUE ? null : v[i];
  }

  private static long unbox(@Nullable Long v) {
    return v == null ? Long.MIN_VALUE : v;
  }

  static @Nullable String clip(@Nullable String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    // Do not cut a surrogate pair in half: DuckDB rejects lone surrogates.
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** The fields we keep, gathered while streaming. */
  private static final class Fields {
    boolean hasMeta;
    @Nullable String metaId;
    @Nullable String dt;
    @Nullable String domain;
    @Nullable Long rcId;
    @Nullable String type;
    @Nullable Integer namespace;
    @Nullable String title;
    @Nullable String comment;
    @Nullable Long timestamp;
    @Nullable String user;
    @Nullable Boolean bot;
    @Nullable Boolean minor;
    @Nullable Boolean patrolled;
    @Nullable Long lengthOld;
    @Nullable Long lengthNew;
    @Nullable Long revisionOld;
    @Nullable Long revisionNew;
    @Nullable String serverName;
    @Nullable String wiki;
    @Nullable String logType;
    @Nullable String logAction;
  }

  /** A validation failure; carries no stack trace because it is expected input, not a bug. */
  private static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    /** The message, never null (Throwable's may be). */
    final String reason;

    Invalid(String message) {
      super(message, null, false, false);
      this.reason = message;
    }
  }
}
