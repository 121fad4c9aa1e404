package org.wikievents.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.RawEvent;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.EventSink;
import org.wikievents.source.EventSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;

/** A reader thread that dies of an Error (out of memory on hostile input) fails the run. */
class PipelineFailureTest {
  @TempDir Path dir;

  @Test
  void aReaderThatRunsOutOfMemoryFailsThePipelineInsteadOfEndingIt() throws Exception {
    EventSource dying =
        new EventSource() {
          @Override
          public void run(EventSink sink) throws InterruptedException {
            sink.put(RawEvent.of("replay", null, "{}", 0));
            // What a JVM throws when one line takes the heap: the thread dies with it.
            throw new OutOfMemoryError("Java heap space");
          }

          @Override
          public long eventsRead() {
            return 1;
          }

          @Override
          public void close() {}
        };
    try (EventStore store = DuckDb.open(dir.resolve("s.duckdb"))) {
      Pipeline p =
          Pipeline.start(
              dying,
              new MemoryQueue(100),
              store,
              new Loader.Settings(10, Duration.ofMillis(10), Duration.ZERO),
              new SimpleMeterRegistry());
      assertThatThrownBy(p::awaitEnd)
          .isInstanceOf(IOException.class)
          .hasMessage("reading stopped: java.lang.OutOfMemoryError: Java heap space");
      assertThat(p.loader().totals().received()).isEqualTo(1);
    }
  }
}
