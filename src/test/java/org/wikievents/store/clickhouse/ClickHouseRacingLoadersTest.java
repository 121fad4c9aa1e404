package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.store.StoreException;
import org.wikievents.store.WriteResult;
import org.wikievents.testing.ClickHouseProxy;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;

/**
 * The documented limit of the ClickHouse store, provoked: two loaders commit at the same moment,
 * the second asking silver while the first one's insert is held back by a proxy, so both find the
 * same ids new. Identical batches are saved by the deduplication token; overlapping ones are not.
 */
class ClickHouseRacingLoadersTest {
  private final List<String> lines = Samples.lines(Samples.NEW_ITEMS_2018);
  private final CountDownLatch firstHeld = new CountDownLatch(1);
  private final CountDownLatch secondArrived = new CountDownLatch(1);
  private final AtomicInteger silverInserts = new AtomicInteger();
  private ClickHouseServer.Database db;

  @BeforeEach
  void createDatabase() throws Exception {
    db = ClickHouseServer.createDatabase("wiki_events_race");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  /** Holds the first silver insert until a second one arrives. */
  private boolean holdFirstSilverInsert(String statement) throws InterruptedException {
    if (statement.startsWith("INSERT INTO wiki ")) {
      int n = silverInserts.incrementAndGet();
      if (n == 1) {
        firstHeld.countDown();
        assertThat(secondArrived.await(30, TimeUnit.SECONDS)).isTrue();
      } else if (n == 2) {
        secondArrived.countDown();
      }
    }
    return false;
  }

  private List<ParseResult> events(int from, int to) {
    EventParser parser = new EventParser();
    return lines.subList(from, to).stream()
        .map(l -> parser.parse(RawEvent.of("replay", null, l, 0)))
        .toList();
  }

  /** Loader A commits {@code a}; while its silver insert is held, loader B commits {@code b}. */
  private void race(List<ParseResult> a, List<ParseResult> b) throws Exception {
    try (ClickHouseProxy proxy = ClickHouseProxy.start(db.url(), this::holdFirstSilverInsert);
        ClickHouseStore loaderA =
            ClickHouseStore.open(proxy.url(), ClickHouseStore.Layout.SINGLE, Duration.ZERO);
        ClickHouseStore loaderB =
            ClickHouseStore.open(proxy.url(), ClickHouseStore.Layout.SINGLE, Duration.ZERO)) {
      CompletableFuture<WriteResult> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return loaderA.write(a);
                } catch (StoreException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(firstHeld.await(30, TimeUnit.SECONDS)).isTrue();
      loaderB.write(b);
      first.get(60, TimeUnit.SECONDS);
    }
    assertThat(silverInserts).hasValue(2);
  }

  private long one(String sql) {
    try (Client c = ClickHouseServer.client(db.url())) {
      return c.queryAll(sql).get(0).getLong(1);
    }
  }

  @Test
  void identicalBatchesCommittedAtOnceCountOnceThanksToTheToken() throws Exception {
    race(events(0, 82), events(0, 82));

    assertThat(one("SELECT count() FROM wiki")).isEqualTo(82);
    assertThat(one("SELECT sum(events) FROM wiki_bywiki_summary")).isEqualTo(82);
  }

  @Test
  void overlappingBatchesCommittedAtOnceCountTheOverlapTwiceInGold() throws Exception {
    race(events(0, 60), events(20, 82));

    assertThat(one("SELECT count() FROM wiki FINAL")).as("silver folds the copies").isEqualTo(82);
    assertThat(one("SELECT uniqExact(event_id) FROM wiki")).isEqualTo(82);
    assertThat(one("SELECT sum(events) FROM wiki_bywiki_summary"))
        .as("the 40 events of both batches, counted by both")
        .isEqualTo(82 + 40);
  }
}
