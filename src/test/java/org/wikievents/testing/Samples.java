package org.wikievents.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
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

  private static Path multiwikiReplayed;

  private Samples() {}

  /** The direct replay of {@link #MULTIWIKI}, made once per test JVM. */
  public static synchronized Path multiwikiReplayed() throws Exception {
    if (multiwikiReplayed == null) {
      Path dir = java.nio.file.Files.createTempDirectory("wiki-events-direct");
      multiwikiReplayed = directReplay(MULTIWIKI, dir.resolve("direct.duckdb"));
      for (Path p : List.of(dir, multiwikiReplayed, dir.resolve("direct.duckdb.wal"))) {
        p.toFile().deleteOnExit();
      }
    }
    return multiwikiReplayed;
  }

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
