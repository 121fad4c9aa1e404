package org.wikievents.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.wikievents.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.DuckDbStore;
import org.wikievents.store.Loader;

/** The vendored recordings, and what a direct replay of one makes of them. */
public final class Samples {
  /** 2,476 distinct events from 70 wikis over 46 seconds. */
  public static final Path MULTIWIKI =
      Path.of("samples/recentchange-2026-05-05-multiwiki.ndjson.gz");

  public static final int MULTIWIKI_EVENTS = 2_476;

  private Samples() {}

  /** The store that {@code replay} makes of a recording in one process: the reference. */
  public static Path directReplay(Path recording, Path db) throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db)) {
      Pipeline p =
          Pipeline.start(
              new RecordingSource(recording, 0),
              new MemoryQueue(10_000),
              store,
              Loader.Settings.defaults(),
              new SimpleMeterRegistry());
      p.awaitEnd();
    }
    return db;
  }
}
