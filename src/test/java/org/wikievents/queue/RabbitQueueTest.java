package org.wikievents.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.MessageProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.source.EventSink;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;
import org.wikievents.testing.Broker;
import org.wikievents.testing.Roles;
import org.wikievents.testing.Samples;
import org.wikievents.testing.Tables;

/** Reader and loader sides of {@link RabbitQueue} in one JVM, against the real broker. */
class RabbitQueueTest {
  /** How long each restart keeps the broker down: the fault under test. */
  private static final Duration OUTAGE = Duration.ofSeconds(1);

  /** One event every 8 ms: the sample in about 20 s. */
  private static final Duration PACE = Duration.ofMillis(8);

  private static final Loader.Settings SMALL_BATCHES =
      new Loader.Settings(100, Duration.ofMillis(200), Duration.ZERO);

  @Test
  void theBrokerRestartedThreeTimesMidStreamLosesNothingAndDoublesNothing(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    Loader.Totals totals;
    try (Broker broker = Broker.forTest(200);
        RabbitQueue readerSide = new RabbitQueue(broker.settings());
        RabbitQueue loaderSide = new RabbitQueue(broker.settings())) {
      // Paced to last about 20 s, so that every restart falls in the middle of the stream. Not
      // by event time: a reader paced so catches up on an outage's time once the broker is back.
      RecordingSource source = new RecordingSource(Samples.MULTIWIKI_2026, 0);
      Reader reader =
          Reader.start(
              source,
              event -> {
                // The pace the test plays the feed at, not a step being ordered.
                Thread.sleep(PACE.toMillis());
                readerSide.put(event);
              },
              readerSide);
      try (EventStore store = DuckDb.open(db)) {
        Loader loader = new Loader(loaderSide, store, SMALL_BATCHES, new SimpleMeterRegistry());
        loader.start();
        List<Long> readAtRestart = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          // At a quarter, a half and three quarters of the stream.
          long at = (i + 1L) * Samples.MULTIWIKI_EVENTS / 4;
          Await.until(
              "the reader read " + at + " events",
              Duration.ofSeconds(60),
              () -> source.eventsRead() >= at || !reader.isAlive());
          readAtRestart.add(source.eventsRead());
          assertThat(reader.isAlive()).as("restart %d comes before the end", i + 1).isTrue();
          Broker.restartApp(OUTAGE);
        }
        reader.await(Duration.ofSeconds(60));
        totals = Roles.drain(loaderSide, loader);
        System.out.println("broker restarts: events read by the reader at each: " + readAtRestart);
        System.out.println("broker restarts: loader totals " + totals);
        assertThat(readAtRestart).isSorted().allMatch(n -> n > 0 && n < Samples.MULTIWIKI_EVENTS);
      }
      assertThat(broker.ready()).as("left in the queue").isZero();
    }
    assertThat(totals.stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    assertThat(totals.quarantined()).isZero();
    assertThat(Tables.differences(Samples.multiwikiReplayed(), db)).isEmpty();
  }

  @Test
  void aPoisonMessageIsQuarantinedOnceAndTheQueueKeepsFlowing(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    Loader.Totals totals;
    try (Broker broker = Broker.forTest(200);
        RabbitQueue readerSide = new RabbitQueue(broker.settings());
        RabbitQueue loaderSide = new RabbitQueue(broker.settings())) {
      readerSide.awaitConfirms(); // nothing put yet: connects, so the exchange and queue exist
      byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, '{', (byte) 0xc3};
      byte[] notJson = "this is not JSON".getBytes(StandardCharsets.UTF_8);
      broker.withChannel(
          ch -> {
            ch.confirmSelect();
            for (byte[] body : List.of(garbage, notJson)) {
              ch.basicPublish(
                  broker.settings().exchange(),
                  "recentchange",
                  MessageProperties.PERSISTENT_BASIC,
                  body);
            }
            ch.waitForConfirmsOrDie(10_000);
            return null;
          });
      Roles.publish(Samples.MULTIWIKI_2026, readerSide);
      try (EventStore store = DuckDb.open(db)) {
        Loader loader = new Loader(loaderSide, store, SMALL_BATCHES, new SimpleMeterRegistry());
        loader.start();
        totals = Roles.drain(loaderSide, loader);
      }
      assertThat(broker.ready()).as("left in the queue").isZero();
      long deadLettered =
          broker.withChannel(
              ch ->
                  (long)
                      ch.queueDeclarePassive(broker.settings().deadLetterQueue())
                          .getMessageCount());
      assertThat(deadLettered).as("dead-lettered").isZero();
    }
    // Each delivered exactly once: a message that looped would be received again and again.
    assertThat(totals.received()).isEqualTo(Samples.MULTIWIKI_EVENTS + 2);
    assertThat(totals.quarantined()).isEqualTo(2);
    assertThat(totals.stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    try (Connection c = DuckDb.openReadOnly(db);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT stream, reason FROM wiki_quarantine ORDER BY reason")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("recentchange");
      assertThat(rs.getString(2)).isEqualTo("invalid UTF-8");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).startsWith("malformed JSON");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void atFullSpeedEveryEventPassesTheBrokerOnceWhileTheLoaderRuns(@TempDir Path dir)
      throws Exception {
    // How fast is for the benchmark (bin/benchmark --parts broker); here: all of it, once.
    Path db = dir.resolve("loaded.duckdb");
    Loader.Totals totals;
    try (Broker broker = Broker.forTest(20_000);
        RabbitQueue readerSide = new RabbitQueue(broker.settings());
        RabbitQueue loaderSide = new RabbitQueue(broker.settings());
        EventStore store = DuckDb.open(db)) {
      Loader loader =
          new Loader(loaderSide, store, Loader.Settings.defaults(), new SimpleMeterRegistry());
      loader.start();
      Reader reader = Reader.start(new RecordingSource(Samples.MULTIWIKI_2026, 0), readerSide);
      reader.await(Duration.ofSeconds(60));
      totals = Roles.drain(loaderSide, loader);
      assertThat(broker.ready()).as("left in the queue").isZero();
    }
    assertThat(totals.received()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    assertThat(totals.stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    assertThat(totals.quarantined()).isZero();
    assertThat(Tables.differences(Samples.multiwikiReplayed(), db)).isEmpty();
  }

  /** A source publishing on its own thread until its end is confirmed by the broker. */
  static final class Reader {
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private Reader(RecordingSource source, EventSink sink, RabbitQueue queue) {
      thread =
          new Thread(
              () -> {
                try {
                  source.run(sink);
                  queue.awaitConfirms();
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "test-reader");
    }

    static Reader start(RecordingSource source, RabbitQueue queue) {
      return start(source, queue, queue);
    }

    /** Reads {@code source} into {@code sink}, which puts into {@code queue}. */
    static Reader start(RecordingSource source, EventSink sink, RabbitQueue queue) {
      Reader r = new Reader(source, sink, queue);
      r.thread.start();
      return r;
    }

    boolean isAlive() {
      return thread.isAlive();
    }

    void await(Duration timeout) throws Exception {
      thread.join(timeout.toMillis());
      assertThat(thread.isAlive()).as("reader finished within " + timeout).isFalse();
      if (failure.get() != null) {
        throw failure.get();
      }
    }
  }
}
