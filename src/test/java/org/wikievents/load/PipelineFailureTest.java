package org.wikievents.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.RawEvent;
import org.wikievents.queue.Batch;
import org.wikievents.queue.EventQueue;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.EventSink;
import org.wikievents.source.EventSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.web.StatusServer;

/**
 * A source or parse thread that dies of an Error (out of memory on hostile input) fails the run,
 * and {@code /health} says so at once: while the loader still commits what was read, before the
 * process exits 1.
 */
class PipelineFailureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Loader.Settings SETTINGS =
      new Loader.Settings(10, Duration.ofMillis(10), Duration.ZERO);
  @TempDir Path dir;

  /** Puts one event, then dies as a JVM thread does when one line takes the heap. */
  private static EventSource dying() {
    return new EventSource() {
      @Override
      public void run(EventSink sink) throws InterruptedException {
        sink.put(RawEvent.of("replay", null, "{}", 0));
        throw new OutOfMemoryError("Java heap space");
      }

      @Override
      public long eventsRead() {
        return 1;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aReaderThatRunsOutOfMemoryFailsThePipelineInsteadOfEndingIt() throws Exception {
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"))) {
      Pipeline p =
          Pipeline.start(dying(), new MemoryQueue(100), store, SETTINGS, new SimpleMeterRegistry());
      assertThatThrownBy(p::awaitEnd)
          .isInstanceOf(IOException.class)
          .hasMessage("reading stopped: java.lang.OutOfMemoryError: Java heap space");
      assertThat(p.loader().totals().received()).isEqualTo(1);
      // Not "finished": the loader ended because its input died.
      assertThat(p.loader().state().phase()).isEqualTo(IngestState.Phase.FAILED);
    }
  }

  @Test
  void aDeadSourceTurnsHealthFailedWhileTheLoaderIsStillCommitting() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch release = new CountDownLatch(1);
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"))) {
      Pipeline p = Pipeline.start(dying(), new MemoryQueue(100), store, SETTINGS, registry);
      // Holds the loader inside its first commit: the process is "going down", not gone.
      p.loader()
          .onCommit(
              c -> {
                try {
                  release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try (StatusServer status =
          StatusServer.start("127.0.0.1", 0, registry, () -> p.loader().state())) {
        URI health = URI.create("http://127.0.0.1:" + status.port() + "/health");
        await(() -> p.loader().state().phase() == IngestState.Phase.FAILED);
        assertThat(p.loader().isRunning()).isTrue();
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("failing");
        assertThat(body.path("ingest").path("state").asText()).isEqualTo("failed");
        assertThat(body.path("ingest").path("error").asText())
            .isEqualTo("reading stopped: java.lang.OutOfMemoryError: Java heap space");
        assertThat(p.loader().isRunning()).isTrue();
      } finally {
        release.countDown();
      }
      assertThatThrownBy(p::awaitEnd).hasMessageContaining("OutOfMemoryError");
    }
  }

  @Test
  void aReaderRoleWhoseSourceDiesSaysFailed() throws Exception {
    Pipeline p =
        Pipeline.read(
                dying(),
                org.wikievents.source.SourceStatus.Thresholds.DEFAULT,
                new MemoryQueue(100),
                "reader")
            .start();
    await(() -> p.state().phase() == IngestState.Phase.FAILED);
    assertThat(p.state().healthy()).isFalse();
    assertThat(p.state().error())
        .isEqualTo("reading stopped: java.lang.OutOfMemoryError: Java heap space");
    assertThatThrownBy(p::awaitEnd).hasMessageContaining("OutOfMemoryError");
  }

  @Test
  void aParserThatDiesOfAnErrorFailsTheLoaderInsteadOfEndingIt() throws Exception {
    MemoryQueue events = new MemoryQueue(100);
    events.put(RawEvent.of("replay", null, "{}", 0));
    // The parse thread is the queue's only taker: an Error there is an Error in that thread.
    EventQueue dyingQueue =
        new EventQueue() {
          private int takes;

          @Override
          public Batch take(int max, Duration linger) throws InterruptedException {
            if (takes++ > 0) {
              throw new OutOfMemoryError("Java heap space");
            }
            return events.take(max, linger);
          }

          @Override
          public void put(RawEvent event) throws InterruptedException {
            events.put(event);
          }

          @Override
          public void ack(Batch batch) {
            events.ack(batch);
          }

          @Override
          public void finishInput() {
            events.finishInput();
          }

          @Override
          public int depth() {
            return events.depth();
          }

          @Override
          public void close() {}
        };
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"))) {
      Loader loader = new Loader(dyingQueue, store, SETTINGS, new SimpleMeterRegistry()).start();
      await(() -> !loader.isRunning());
      assertThat(loader.state().phase()).isEqualTo(IngestState.Phase.FAILED);
      assertThat(loader.state().healthy()).isFalse();
      assertThat(loader.state().error())
          .isEqualTo("parsing stopped: java.lang.OutOfMemoryError: Java heap space");
      assertThatThrownBy(loader::awaitFinished)
          .isInstanceOf(IOException.class)
          .hasMessage("parsing stopped: java.lang.OutOfMemoryError: Java heap space");
      // What was parsed before is committed: a restart resumes after it, nothing is lost.
      assertThat(loader.totals().received()).isEqualTo(1);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
