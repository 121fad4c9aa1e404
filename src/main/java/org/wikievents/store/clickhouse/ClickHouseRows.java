package org.wikievents.store.clickhouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;
import org.wikievents.store.Alert;
import org.wikievents.store.Silver;

/**
 * Rows of the ClickHouse tables as {@code JSONEachRow} lines: one JSON object per line, keys named
 * as the columns of {@code sql/clickhouse/schema.sql}. Times are written as UTC text, which
 * ClickHouse reads the same whatever the server's time zone.
 */
final class ClickHouseRows {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private static final JsonFactory JSON = new JsonFactory();

  private ClickHouseRows() {}

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** A writer of lines to {@code out}; closing it flushes but leaves {@code out} open. */
  static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = JSON.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // One row per line, nothing between: the loader skips rows by line.
    g.setRootValueSeparator(null);
    return g;
  }

  /** A silver row: every column of {@link Silver}, in its order. */
  static void silver(JsonGenerator g, long batchId, RawEvent raw, WikiEvent e) throws IOException {
    g.writeStartObject();
    for (Silver column : Silver.COLUMNS) {
      Object v = column.of(e, raw.receivedAtMillis(), batchId);
      g.writeFieldName(column.column());
      if (v == null) {
        g.writeNull();
        continue;
      }
      switch (column.type()) {
        case UUID, VARCHAR -> g.writeString(v.toString());
        case TIMESTAMP -> g.writeString(time((Long) v));
        case INTEGER -> g.writeNumber((Integer) v);
        case BIGINT -> g.writeNumber((Long) v);
        case BOOLEAN -> g.writeBoolean((Boolean) v);
      }
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  static void bronze(JsonGenerator g, long batchId, RawEvent raw, WikiEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("event_id", e.eventId().toString());
    g.writeStringField("stream", raw.stream());
    g.writeStringField("sse_id", raw.sseId());
    g.writeStringField("ingest_time", time(raw.receivedAtMillis()));
    g.writeStringField("data", raw.data());
    g.writeNumberField("batch_id", batchId);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  static void alert(JsonGenerator g, Alert a) throws IOException {
    g.writeStartObject();
    g.writeStringField("alert_time", time(a.at().toEpochMilli()));
    g.writeStringField("rule", a.rule());
    g.writeStringField("subject", a.subject());
    g.writeStringField("state", a.state());
    g.writeStringField("message", a.message());
    g.writeEndObject();
    g.writeRaw('\n');
  }

  static void quarantine(JsonGenerator g, String dataHash, RawEvent raw, String reason)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("data_hash", dataHash);
    g.writeStringField("stream", raw.stream());
    g.writeStringField("sse_id", raw.sseId());
    g.writeStringField("ingest_time", time(raw.receivedAtMillis()));
    g.writeStringField("reason", reason);
    g.writeStringField("data", raw.data());
    g.writeEndObject();
    g.writeRaw('\n');
  }

  static void checkpoint(JsonGenerator g, String stream, String sseId, long updatedAtMillis)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("stream", stream);
    g.writeStringField("sse_id", sseId);
    g.writeStringField("updated_at", time(updatedAtMillis));
    g.writeEndObject();
    g.writeRaw('\n');
  }
}
