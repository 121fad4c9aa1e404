package org.wikievents.store;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.wikievents.event.WikiEvent;

/**
 * The silver table {@code wiki}, described once: its columns in table order, each with its type
 * family, whether it may be null and how its value is read from an event. The engines write silver
 * rows from this list (DuckDB's appender, ClickHouse's JSON rows), so a column added here reaches
 * both; the DDL stays in each engine's {@code schema.sql}, and {@code SilverSchemaTest} holds every
 * schema against this list.
 *
 * <p>To add a column: an entry here, a line in each {@code schema.sql} and, for DuckDB stores that
 * exist already, an {@code ALTER TABLE wiki ADD COLUMN} in a new layout's upgrade (see
 * docs/storage.md). DuckDB's appender fills columns by position and {@code ADD COLUMN} puts a
 * column last, so a new column goes at the end of this list and of each schema's {@code wiki}.
 */
public final class Silver {
  /** The table's name in every engine. */
  public static final String TABLE = "wiki";

  private static final boolean NULL = true;
  private static final boolean NOT_NULL = false;

  /** The columns in table order. */
  public static final List<Column> COLUMNS =
      List.of(
          event("event_id", Type.UUID, NOT_NULL, WikiEvent::eventId),
          event("event_time", Type.TIMESTAMP, NOT_NULL, WikiEvent::eventTimeMillis),
          // When this program received the event, not a field of it.
          new Column("ingest_time", Type.TIMESTAMP, NOT_NULL, (e, receivedAt, batch) -> receivedAt),
          event("wiki", Type.VARCHAR, NOT_NULL, WikiEvent::wiki),
          event("domain", Type.VARCHAR, NULL, WikiEvent::domain),
          event("type", Type.VARCHAR, NOT_NULL, WikiEvent::type),
          event("namespace", Type.INTEGER, NULL, WikiEvent::namespace),
          event("title", Type.VARCHAR, NULL, WikiEvent::title),
          event("user", Type.VARCHAR, NULL, WikiEvent::user),
          event("bot", Type.BOOLEAN, NULL, WikiEvent::bot),
          event("minor", Type.BOOLEAN, NULL, WikiEvent::minor),
          event("patrolled", Type.BOOLEAN, NULL, WikiEvent::patrolled),
          event("length_old", Type.BIGINT, NULL, WikiEvent::lengthOld),
          event("length_new", Type.BIGINT, NULL, WikiEvent::lengthNew),
          event("revision_old", Type.BIGINT, NULL, WikiEvent::revisionOld),
          event("revision_new", Type.BIGINT, NULL, WikiEvent::revisionNew),
          event("log_type", Type.VARCHAR, NULL, WikiEvent::logType),
          event("log_action", Type.VARCHAR, NULL, WikiEvent::logAction),
          event("comment", Type.VARCHAR, NULL, WikiEvent::comment),
          event("server_name", Type.VARCHAR, NULL, WikiEvent::serverName),
          event("rc_id", Type.BIGINT, NULL, WikiEvent::rcId),
          // Which commit added the row.
          new Column("batch_id", Type.BIGINT, NOT_NULL, (e, receivedAt, batch) -> batch));

  private Silver() {}

  /**
   * A column's type family; each engine's schema spells it its own way. The Java value a column
   * reads as is fixed by its family.
   */
  public enum Type {
    /** {@link java.util.UUID}. */
    UUID,
    /** {@link Long}: milliseconds since the epoch, UTC. */
    TIMESTAMP,
    /** {@link String}. */
    VARCHAR,
    /** {@link Integer}. */
    INTEGER,
    /** {@link Long}. */
    BIGINT,
    /** {@link Boolean}. */
    BOOLEAN
  }

  /** Reads a column's value for one row: from the event, when it arrived, or its batch. */
  @FunctionalInterface
  public interface Value {
    @Nullable Object of(WikiEvent event, long receivedAtMillis, long batchId);
  }

  /**
   * One column.
   *
   * @param name unquoted ({@code user} is quoted in SQL)
   * @param value the column's value in a row; null only where {@code nullable}
   */
  public record Column(String name, Type type, boolean nullable, Value value) {
    /** The value in the row of {@code event}, received at {@code receivedAtMillis}, of a batch. */
    public @Nullable Object of(WikiEvent event, long receivedAtMillis, long batchId) {
      return value.of(event, receivedAtMillis, batchId);
    }
  }

  private static Column event(
      String name, Type type, boolean nullable, Function<WikiEvent, @Nullable Object> field) {
    return new Column(name, type, nullable, (e, receivedAt, batch) -> field.apply(e));
  }
}
