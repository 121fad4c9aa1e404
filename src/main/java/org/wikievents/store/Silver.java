package org.wikievents.store;

import java.util.List;
import java.util.function.Function;
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
public enum Silver {
  EVENT_ID("event_id", Type.UUID, false, WikiEvent::eventId),
  EVENT_TIME("event_time", Type.TIMESTAMP, false, WikiEvent::eventTimeMillis),
  /** When this program received the event, not a field of it. */
  INGEST_TIME(
      "ingest_time", Type.TIMESTAMP, false, (e, receivedAtMillis, batchId) -> receivedAtMillis),
  WIKI("wiki", Type.VARCHAR, false, WikiEvent::wiki),
  DOMAIN("domain", Type.VARCHAR, true, WikiEvent::domain),
  TYPE("type", Type.VARCHAR, false, WikiEvent::type),
  NAMESPACE("namespace", Type.INTEGER, true, WikiEvent::namespace),
  TITLE("title", Type.VARCHAR, true, WikiEvent::title),
  USER("user", Type.VARCHAR, true, WikiEvent::user),
  BOT("bot", Type.BOOLEAN, true, WikiEvent::bot),
  MINOR("minor", Type.BOOLEAN, true, WikiEvent::minor),
  PATROLLED("patrolled", Type.BOOLEAN, true, WikiEvent::patrolled),
  LENGTH_OLD("length_old", Type.BIGINT, true, WikiEvent::lengthOld),
  LENGTH_NEW("length_new", Type.BIGINT, true, WikiEvent::lengthNew),
  REVISION_OLD("revision_old", Type.BIGINT, true, WikiEvent::revisionOld),
  REVISION_NEW("revision_new", Type.BIGINT, true, WikiEvent::revisionNew),
  LOG_TYPE("log_type", Type.VARCHAR, true, WikiEvent::logType),
  LOG_ACTION("log_action", Type.VARCHAR, true, WikiEvent::logAction),
  COMMENT("comment", Type.VARCHAR, true, WikiEvent::comment),
  SERVER_NAME("server_name", Type.VARCHAR, true, WikiEvent::serverName),
  RC_ID("rc_id", Type.BIGINT, true, WikiEvent::rcId),
  /** Which commit added the row. */
  BATCH_ID("batch_id", Type.BIGINT, false, (e, receivedAtMillis, batchId) -> batchId);

  /** The table's name in every engine. */
  public static final String TABLE = "wiki";

  /** The columns in table order (one list, so the write path does not copy {@code values()}). */
  public static final List<Silver> COLUMNS = List.of(values());

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
    Object of(WikiEvent event, long receivedAtMillis, long batchId);
  }

  private final String column;
  private final Type type;
  private final boolean nullable;
  private final Value value;

  Silver(String column, Type type, boolean nullable, Function<WikiEvent, Object> field) {
    this(column, type, nullable, (e, receivedAtMillis, batchId) -> field.apply(e));
  }

  Silver(String column, Type type, boolean nullable, Value value) {
    this.column = column;
    this.type = type;
    this.nullable = nullable;
    this.value = value;
  }

  /** The column's name, unquoted ({@code user} is quoted in SQL). */
  public String column() {
    return column;
  }

  public Type type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  /**
   * This column's value in the row of {@code event}, received at {@code receivedAtMillis} and
   * stored by batch {@code batchId}: null only where {@link #nullable()}.
   */
  public Object of(WikiEvent event, long receivedAtMillis, long batchId) {
    return value.of(event, receivedAtMillis, batchId);
  }
}
