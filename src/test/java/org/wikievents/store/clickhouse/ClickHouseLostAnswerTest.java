package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.store.WriteResult;
import org.wikievents.testing.ClickHouseProxy;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;

/**
 * The insert into silver lands on the server but its answer never reaches the loader: a proxy on
 * loopback relays it, then drops the connection. The retry carries the same token, so the server
 * drops it, and gold counts each event once.
 */
class ClickHouseLostAnswerTest {
  private final List<String> silverInserts = new CopyOnWriteArrayList<>();
  private final AtomicBoolean loseNextSilverAnswer = new AtomicBoolean(true);
  private ClickHouseServer.Database db;

  @BeforeEach
  void createDatabase() throws Exception {
    db = ClickHouseServer.createDatabase("wiki_events_lost");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aRetriedInsertWhoseFirstAnswerWasLostCountsEachEventOnce() throws Exception {
    List<String> lines = Samples.lines(Samples.NEW_ITEMS_2018);
    EventParser parser = new EventParser();
    List<ParseResult> batch =
        lines.stream().map(l -> parser.parse(RawEvent.of("replay", null, l, 0))).toList();

    WriteResult result;
    try (ClickHouseProxy proxy =
            ClickHouseProxy.start(
                db.url(),
                statement -> {
                  if (!statement.startsWith("INSERT INTO wiki ")) {
                    return false;
                  }
                  silverInserts.add(statement);
                  return loseNextSilverAnswer.getAndSet(false);
                });
        ClickHouseStore store =
            ClickHouseStore.open(proxy.url(), ClickHouseStore.Layout.SINGLE, Duration.ZERO)) {
      result = store.write(batch);
    }

    assertThat(silverInserts).as("silver insert sent, answer lost, sent again").hasSize(2);
    assertThat(result.stored()).isEqualTo(lines.size());
    try (Client c = ClickHouseServer.client(db.url())) {
      Map<String, Long> counts =
          Map.of(
              "silver rows", c.queryAll("SELECT count() FROM wiki").get(0).getLong(1),
              "gold sum",
                  c.queryAll("SELECT sum(events) FROM wiki_bywiki_summary").get(0).getLong(1),
              "hourly sum",
                  c.queryAll("SELECT sum(events) FROM wiki_hourly_summary").get(0).getLong(1));
      assertThat(counts)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "silver rows", (long) lines.size(),
                  "gold sum", (long) lines.size(),
                  "hourly sum", (long) lines.size()));
    }
  }
}
