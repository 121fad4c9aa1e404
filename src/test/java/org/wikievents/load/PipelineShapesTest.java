package org.wikievents.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.SourceStatus;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Samples;

/**
 * The three shapes every ingesting command is made of (read and load, read only, load only) share
 * one lifecycle, and say what they do on /health through {@link Pipeline#state}.
 */
class PipelineShapesTest {
  private static final Loader.Settings SMALL =
      new Loader.Settings(500, Duration.ofMillis(50), Duration.ZERO);

  @TempDir Path dir;

  @Test
  void readAndLoadIsStartingUntilStartedThenCommitsTheWholeRecording() throws Exception {
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"));
        Pipeline p =
            Pipeline.readAndLoad(
                new RecordingSource(Samples.MULTIWIKI_2026, 0),
                SourceStatus.Thresholds.DEFAULT,
                new MemoryQueue(1000),
                store,
                SMALL,
                new SimpleMeterRegistry())) {
      assertThat(p.state().phase()).isEqualTo(IngestState.Phase.STARTING);
      p.start().awaitEnd();
      IngestState s = p.state();
      assertThat(s.phase()).isEqualTo(IngestState.Phase.FINISHED);
      assertThat(s.totals().stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
      assertThat(s.feed()).as("a recording has no live feed").isNull();
    }
  }

  @Test
  void readOnlyFillsTheQueueAndSaysWhoLoadsIt() throws Exception {
    MemoryQueue queue = new MemoryQueue(Samples.MULTIWIKI_EVENTS);
    try (Pipeline p =
        Pipeline.read(
            new RecordingSource(Samples.MULTIWIKI_2026, 0),
            SourceStatus.Thresholds.DEFAULT,
            queue,
            "elsewhere")) {
      p.start().awaitEnd();
      assertThat(p.loader()).isNull();
      assertThat(p.state()).isEqualTo(IngestState.none("elsewhere"));
    }
    assertThat(queue.depth()).isEqualTo(Samples.MULTIWIKI_EVENTS);
  }

  @Test
  void loadOnlyRunsUntilItsInputIsStoppedAndCommitsWhatArrived() throws Exception {
    MemoryQueue queue = new MemoryQueue(Samples.MULTIWIKI_EVENTS);
    new RecordingSource(Samples.MULTIWIKI_2026, 0).run(queue);
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"));
        Pipeline p = Pipeline.load(queue, store, SMALL, new SimpleMeterRegistry())) {
      p.start();
      assertThat(p.state().phase()).isEqualTo(IngestState.Phase.RUNNING);
      // What a signal does: the queue stops delivering, what it delivered is committed.
      p.stopInput();
      p.awaitEnd();
      assertThat(p.state().phase()).isEqualTo(IngestState.Phase.FINISHED);
      assertThat(p.state().totals().stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    }
  }
}
