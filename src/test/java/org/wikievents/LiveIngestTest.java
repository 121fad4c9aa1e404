package org.wikievents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikievents.source.RecordedEventServer.Behaviour.cutAfter;
import static org.wikievents.source.RecordedEventServer.Behaviour.refuse;
import static org.wikievents.source.RecordedEventServer.Behaviour.resetAfter;
import static org.wikievents.source.RecordedEventServer.Behaviour.stallAfter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.source.RecordedEventServer.RecordedRequest;
import org.wikievents.source.SseEventSource;
import org.wikievents.source.SseSettings;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;

/**
 * The live path end to end: a loopback EventStreams server playing a real recording through cuts,
 * resets, stalls, refusals and malformed lines, into a real DuckDB file; afterwards the file holds
 * each distinct event exactly once and the bad lines in quarantine.
 */
class LiveIngestTest {
  static final String STREAM = "recentchange";
  static final String MULTIWIKI_2026 = "recentchange-2026-05-05-multiwiki";
  static final String WIKIDATA_2018 = "recentchange-2018-03-07-wikidata";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /**
   * The live feed carries these hourly for monitoring; they must never be stored. No meta.dt, so
   * the server gives it its neighbours' timestamp in either recording.
   */
  static final String CANARY =
      "{\"meta\":{\"id\":\"c0ffee00-0000-4000-8000-000000000001\","
          + "\"domain\":\"canary\",\"stream\":\"mediawiki.recentchange\"},\"type\":\"edit\","
          + "\"wiki\":\"enwiki\",\"title\":\"Canary\",\"namespace\":0}";

  @TempDir Path dir;
  private RecordedEventServer server;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void multiwiki2026ThroughManyFaultsIsStoredExactlyOnce() throws Exception {
    ingestThroughFaults(MULTIWIKI_2026);
  }

  @Test
  void wikidata2018WithWholeSecondIdsIsStoredExactlyOnce() throws Exception {
    // Whole-second timestamps: every resume re-sends the events of the last second.
    ingestThroughFaults(WIKIDATA_2018);
  }

  private void ingestThroughFaults(String sample) throws Exception {
    List<String> lines = withMalformed(RecordedEventServer.sample(sample));
    server = RecordedEventServer.start(lines);
    // Faults until about 90% of the recording, so the script is used up before its end.
    int scripted = 0;
    for (int k = 0; k < lines.size() / 120; k++) {
      server.enqueue(cutAfter(97));
      scripted++;
      if (k % 12 == 4) {
        server.enqueue(stallAfter(60));
        scripted++;
      }
      if (k % 12 == 7) {
        server.enqueue(resetAfter(45));
        scripted++;
      }
      if (k == 9) {
        server.enqueue(refuse(503, 1));
        scripted++;
      }
    }
    List<String> notStored = new ArrayList<>(RecordedEventServer.MALFORMED);
    notStored.add(CANARY);
    Set<String> expected = StoredEvents.metaIds(lines, notStored);
    Path db = StoredEvents.db(dir);

    try (EventStore store = DuckDb.open(db)) {
      Pipeline pipeline = start(store, null);
      awaitCaughtUp(pipeline, store, expected.size());
      pipeline.close();
      assertThat(pipeline.loader().failure()).isNull();
      assertThat(pipeline.loader().totals().canaries()).as("canaries seen").isPositive();
    }

    assertThat(server.servedEverything()).isTrue();
    assertThat(server.requestCount()).isGreaterThan(scripted);
    assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    StoredEvents stored = StoredEvents.read(db, STREAM);
    stored.assertExactlyOnce(expected, RecordedEventServer.MALFORMED);
    assertThat(stored.quarantineReasonByData())
        .containsEntry(RecordedEventServer.MALFORMED.get(2), "missing meta.id");
    assertThat(stored.quarantineReasonByData().get(RecordedEventServer.MALFORMED.get(0)))
        .startsWith("malformed JSON");
    assertThat(stored.quarantineReasonByData().get(RecordedEventServer.MALFORMED.get(1)))
        .startsWith("malformed JSON");
    assertThat(stored.checkpoint()).isEqualTo(server.lastId());
  }

  @Test
  void restartResumesFromTheCommittedCheckpoint() throws Exception {
    List<String> lines = RecordedEventServer.sample(MULTIWIKI_2026);
    server = RecordedEventServer.start(lines);
    server.pace(Duration.ofMillis(1));
    Set<String> expected = StoredEvents.metaIds(lines, List.of());
    Path db = StoredEvents.db(dir);

    long storedFirst;
    try (EventStore store = DuckDb.open(db)) {
      Pipeline first = start(store, null);
      await(() -> first.loader().totals().stored() >= 600, "600 events stored");
      first.close();
      storedFirst = first.loader().totals().stored();
    }
    assertThat(server.servedEverything()).as("stopped mid-stream").isFalse();
    String committed;
    try (EventStore store = DuckDb.open(db)) {
      // Exactly what RunCommand does on start.
      committed = store.checkpoint(STREAM).orElseThrow();
      Pipeline second = start(store, committed);
      awaitCaughtUp(second, store, expected.size() - storedFirst);
      second.close();
    }

    RecordedRequest initial = server.takeRequest();
    assertThat(initial.header("Last-Event-ID")).isNull();
    RecordedRequest resumed = server.takeRequest();
    assertThat(resumed.header("Last-Event-ID")).isEqualTo(committed);
    StoredEvents stored = StoredEvents.read(db, STREAM);
    stored.assertExactlyOnce(expected, List.of());
    assertThat(stored.checkpoint()).isEqualTo(server.lastId());
  }

  private Pipeline start(EventStore store, String lastEventId) {
    SseSettings settings =
        new SseSettings(
            server.url(),
            STREAM,
            "wiki-events/test (https://example.org/wiki-events-tests) okhttp/5",
            lastEventId,
            null,
            Duration.ofMillis(300),
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    return Pipeline.start(
        new SseEventSource(settings),
        new MemoryQueue(1000),
        store,
        new Loader.Settings(500, Duration.ofMillis(100), Duration.ZERO),
        new SimpleMeterRegistry());
  }

  /**
   * Waits until the pipeline stored {@code newEvents} new events and committed the recording's last
   * id. Stored counts come from the loader, so a loss shows as a timeout; a double count is caught
   * by the assertions on the file afterwards.
   */
  private void awaitCaughtUp(Pipeline pipeline, EventStore store, long newEvents) throws Exception {
    await(
        () -> {
          try {
            return pipeline.loader().totals().stored() >= newEvents
                && server.lastId().equals(store.checkpoint(STREAM).orElse(null));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        newEvents + " events stored and the last id committed");
  }

  /** The recording with the malformed lines and a canary spread through it (not at its end). */
  private static List<String> withMalformed(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    out.add(lines.size() / 7, CANARY);
    List<String> bad = RecordedEventServer.MALFORMED;
    for (int i = 0; i < bad.size(); i++) {
      out.add((i + 1) * lines.size() / (bad.size() + 1), bad.get(i));
    }
    return out;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, DEADLINE, condition::getAsBoolean);
  }
}
