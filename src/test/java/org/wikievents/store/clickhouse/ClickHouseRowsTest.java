package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;
import org.wikievents.testing.Samples;

/** Events as ClickHouse JSONEachRow rows: one line each, keyed by the schema's column names. */
class ClickHouseRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private final EventParser parser = new EventParser();

  private WikiEvent event(RawEvent raw) {
    return ((ParseResult.Accepted) parser.parse(raw)).event();
  }

  private interface RowWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private static List<String> lines(RowWriter w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = ClickHouseRows.generator(out)) {
      w.write(g);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return text.lines().toList();
  }

  private static List<String> keys(String line) throws IOException {
    List<String> keys = new ArrayList<>();
    Iterator<String> it = JSON.readTree(line).fieldNames();
    it.forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void aSilverRowHasEveryColumnOfWikiInOrderWithItsValue() throws IOException {
    String line = Samples.lines(Samples.MULTIWIKI_2026).get(0);
    RawEvent raw = RawEvent.of("recentchange", "[{\"offset\":1}]", line, 1_777_975_200_123L);
    WikiEvent e = event(raw);

    List<String> rows = lines(g -> ClickHouseRows.silver(g, 42, raw, e));

    assertThat(rows).hasSize(1);
    assertThat(keys(rows.get(0)))
        .isEqualTo(ClickHouseSqlTest.tables(ClickHouseStore.DIALECT).get("wiki"));
    JsonNode row = JSON.readTree(rows.get(0));
    assertThat(row.get("event_id").asText()).isEqualTo(e.eventId().toString());
    assertThat(row.get("event_time").asText())
        .isEqualTo(ClickHouseRows.TIME.format(java.time.Instant.ofEpochMilli(e.eventTimeMillis())))
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    assertThat(row.get("ingest_time").asText()).isEqualTo("2026-05-05 10:00:00.123");
    assertThat(row.get("wiki").asText()).isEqualTo(e.wiki());
    assertThat(row.get("type").asText()).isEqualTo(e.type());
    assertThat(row.get("batch_id").asLong()).isEqualTo(42);
    assertThat(JSON.readTree(line).get("title").asText()).isEqualTo(row.get("title").asText());
  }

  @Test
  void absentFieldsAreNullsAndFlagsAreBooleans() throws IOException {
    String line =
        "{\"meta\":{\"id\":\"6f1f7a48-8c2d-4c7e-9d1b-1a2b3c4d5e6f\",\"dt\":\"2026-05-05T10:00:00Z\","
            + "\"domain\":\"x.wikipedia.org\"},\"type\":\"log\",\"wiki\":\"xwiki\",\"bot\":true}";
    RawEvent raw = RawEvent.of("replay", null, line, 0);

    JsonNode row = JSON.readTree(lines(g -> ClickHouseRows.silver(g, 1, raw, event(raw))).get(0));

    assertThat(row.get("bot").isBoolean()).isTrue();
    assertThat(row.get("bot").booleanValue()).isTrue();
    for (String column :
        List.of("namespace", "title", "user", "minor", "length_old", "revision_new", "rc_id")) {
      assertThat(row.get(column).isNull()).as(column).isTrue();
    }
    assertThat(row.get("event_time").asText()).isEqualTo("2026-05-05 10:00:00.000");
  }

  @Test
  void hostileTextStaysOnOneLineAndReadsBackUnchanged() throws IOException {
    String title = "a\nb\r\"c\\ d\u0000 \u2028 é中😀";
    String line =
        "{\"meta\":{\"id\":\"6f1f7a48-8c2d-4c7e-9d1b-1a2b3c4d5e6f\",\"dt\":\"2026-05-05T10:00:00Z\"},"
            + "\"type\":\"edit\",\"wiki\":\"xwiki\",\"title\":"
            + JSON.writeValueAsString(title)
            + "}";
    RawEvent raw = RawEvent.of("replay", null, line, 0);
    WikiEvent e = event(raw);

    List<String> rows =
        lines(
            g -> {
              ClickHouseRows.silver(g, 1, raw, e);
              ClickHouseRows.bronze(g, 1, raw, e);
              ClickHouseRows.quarantine(g, "hash", raw, "reason\nwith a newline");
            });

    assertThat(rows).hasSize(3);
    assertThat(JSON.readTree(rows.get(0)).get("title").asText()).isEqualTo(title);
    assertThat(JSON.readTree(rows.get(1)).get("data").asText()).isEqualTo(line);
    assertThat(JSON.readTree(rows.get(2)).get("reason").asText())
        .isEqualTo("reason\nwith a newline");
  }

  @Test
  void bronzeQuarantineAndCheckpointRowsNameTheirTablesColumns() throws IOException {
    String line = Samples.lines(Samples.NEW_ITEMS_2018).get(0);
    RawEvent raw = RawEvent.of("recentchange", "id-1", line, 0);
    var tables = ClickHouseSqlTest.tables(ClickHouseStore.DIALECT);

    assertThat(keys(lines(g -> ClickHouseRows.bronze(g, 1, raw, event(raw))).get(0)))
        .isEqualTo(tables.get("wiki_raw"));
    assertThat(keys(lines(g -> ClickHouseRows.quarantine(g, "h", raw, "why")).get(0)))
        .isEqualTo(tables.get("wiki_quarantine"));
    assertThat(keys(lines(g -> ClickHouseRows.checkpoint(g, "recentchange", "id-1", 0)).get(0)))
        .isEqualTo(tables.get("wiki_checkpoint"));
  }

  @Test
  void rowsOfEventsSeenBeforeAreLeftOutByLine() throws IOException {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    Path file = Files.writeString(dir.resolve("rows"), "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClickHouseStore.copyRows(file, List.of(a, b, c), Set.of(a, c), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}\n");

    out.reset();
    ClickHouseStore.copyRows(file, null, Set.of(), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Files.readString(file));
  }

  @Test
  void idsTravelAsAClickHouseArrayLiteral() {
    UUID a = UUID.fromString("00000000-0000-0000-0000-000000000001");
    UUID b = UUID.fromString("6f1f7a48-8c2d-4c7e-9d1b-1a2b3c4d5e6f");
    assertThat(ClickHouseStore.uuidArray(List.of(a, b)))
        .isEqualTo(
            "['00000000-0000-0000-0000-000000000001','6f1f7a48-8c2d-4c7e-9d1b-1a2b3c4d5e6f']");
    assertThat(ClickHouseStore.uuidArray(List.of())).isEqualTo("[]");
  }
}
