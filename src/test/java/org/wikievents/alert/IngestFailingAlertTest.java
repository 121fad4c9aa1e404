package org.wikievents.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.source.SseEventSource;
import org.wikievents.source.SseSettings;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/**
 * A live source pointed at a port nothing listens on: the "ingest failing" alert fires once the
 * threshold has passed, and clears when the stream comes up there and events are stored.
 */
class IngestFailingAlertTest {
  private static final Duration STALE = Duration.ofSeconds(2);
  private static final Duration EVERY = Duration.ofMillis(100);

  @TempDir Path dir;
  private WebhookReceiver receiver;
  private RecordedEventServer stream;
  private Pipeline pipeline;
  private Alerting alerting;
  private EventStore store;
  private StoreReader reader;

  @AfterEach
  void nothingElseArrived() throws Exception {
    try {
      assertThat(receiver.poll(Duration.ofMillis(300))).as("no further post").isNull();
    } finally {
      alerting.close();
      pipeline.close();
      reader.close();
      store.close();
      receiver.close();
      if (stream != null) {
        stream.close();
      }
    }
  }

  @Test
  void firesWithinItsThresholdAndClearsWhenEventsFlow() throws Exception {
    receiver = WebhookReceiver.start(0);
    int port = WebhookReceiver.closedPort();
    store = DuckDb.open(dir.resolve("live.duckdb"));
    reader = store.reader();
    SseSettings sse =
        new SseSettings(
            okhttp3.HttpUrl.get("http://127.0.0.1:" + port + RecordedEventServer.PATH),
            "recentchange",
            "wiki-events-test (alerts)",
            null,
            null,
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            Duration.ofMillis(500));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    pipeline =
        Pipeline.start(
            new SseEventSource(sse),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(1000, Duration.ofMillis(100), Duration.ofDays(1)),
            registry);
    long start = System.nanoTime();
    alerting =
        Alerting.start(
            new Alerting.Settings(
                List.of(new Webhook(receiver.url(), Webhook.Format.JSON)),
                0,
                0,
                STALE,
                0.05,
                Duration.ofHours(1)),
            store,
            reader,
            pipeline.loader()::state,
            true,
            EVERY,
            Clock.systemUTC(),
            new WebhookSender.Delivery(
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofMinutes(1)),
            registry);

    JsonNode fired = receiver.take();
    long firedAfter = (System.nanoTime() - start) / 1_000_000;
    assertThat(fired.get("rule").asText()).isEqualTo("ingest_failing");
    assertThat(fired.get("subject").asText()).isEqualTo("ingest");
    assertThat(fired.get("state").asText()).isEqualTo("firing");
    assertThat(fired.get("message").asText()).startsWith("no events stored for 2 s since start");
    // Not before the threshold; after it, within a few evaluation rounds and one post.
    assertThat(firedAfter).isBetween(STALE.toMillis(), STALE.toMillis() + 3_000);
    System.out.printf("ingest_failing fired %d ms after start (threshold %s)%n", firedAfter, STALE);

    stream = RecordedEventServer.start(Recordings.now(200), port);
    JsonNode cleared = receiver.take();
    assertThat(cleared.get("rule").asText()).isEqualTo("ingest_failing");
    assertThat(cleared.get("state").asText()).isEqualTo("cleared");
    assertThat(pipeline.loader().totals().stored()).isPositive();
  }
}
