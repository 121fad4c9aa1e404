package org.wikievents.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.Retention;
import org.wikievents.store.duckdb.DuckDb;

/** The real recordings vendored in {@code samples/}. */
public final class Samples {
  private Samples() {}

  public static final Path MULTIWIKI_2026 = sample("recentchange-2026-05-05-multiwiki.ndjson.gz");
  public static final Path WIKIDATA_2018 = sample("recentchange-2018-03-07-wikidata.ndjson.gz");
  public static final Path NEW_ITEMS_2018 =
      sample("recentchange-2018-03-15-wikidata-new-items.ndjson.gz");

  private static Path sample(String name) {
    return Path.of("samples", name).toAbsolutePath();
  }

  /** The number of events in {@link #MULTIWIKI_2026}, all distinct. */
  public static final int MULTIWIKI_EVENTS = 2_476;

  private static Path multiwikiReplayed;

  /** The direct replay of {@link #MULTIWIKI_2026}, made once per test JVM. */
  public static synchronized Path multiwikiReplayed() throws Exception {
    if (multiwikiReplayed == null) {
      Path dir = Files.createTempDirectory("wiki-events-direct");
      multiwikiReplayed = directReplay(MULTIWIKI_2026, dir.resolve("direct.duckdb"));
      for (Path p : List.of(dir, multiwikiReplayed, dir.resolve("direct.duckdb.wal"))) {
        p.toFile().deleteOnExit();
      }
    }
    return multiwikiReplayed;
  }

  /** The store that {@code replay} makes of a recording in one process: the reference. */
  public static Path directReplay(Path recording, Path db) throws Exception {
    try (EventStore store = DuckDb.open(db)) {
      replay(recording, store);
    }
    return db;
  }

  /**
   * Replays a recording into any store as {@code replay} does, and waits for the end; silver and
   * per-minute gold are kept whatever the span (the vendored samples are eight years apart).
   */
  public static void replay(Path recording, EventStore store) throws Exception {
    Pipeline p =
        Pipeline.start(
            new RecordingSource(recording, 0),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(
                100_000, Duration.ofMillis(500), Duration.ofDays(1), Retention.FOREVER),
            new SimpleMeterRegistry());
    p.awaitEnd();
  }

  /** The non-blank lines of a recording, each one event's JSON. */
  public static List<String> lines(Path file) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes lines as an NDJSON file. */
  public static Path write(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
