package org.wikievents.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * What a read query's values become in a {@link Table}, whichever engine read them: times as
 * ISO-8601 UTC text, every integer as a long, every other number as a double. The same query then
 * gives equal tables from DuckDB and ClickHouse, whose drivers hand out different Java types.
 */
public final class ReadValues {
  private ReadValues() {}

  public static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toString();
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof ZonedDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof BigInteger b) {
      return b.longValue();
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal || v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    return v.toString();
  }
}
