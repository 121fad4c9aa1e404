package org.wikievents.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.Alert;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/**
 * A real dashboard for tests: a DuckDB file in a temporary folder, filled by replaying recordings
 * through the real pipeline, served by the real server on a free loopback port.
 */
final class DashboardFixture implements AutoCloseable {
  static final Path SAMPLE = Path.of("samples/recentchange-2026-05-05-multiwiki.ndjson.gz");

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EventStore store;
  private final StoreReader reader;
  final DashboardServer server;

  DashboardFixture(Path dir, String auth) throws Exception {
    this(dir, auth, Duration.ofMillis(300), DashboardServer.Limits.DEFAULT);
  }

  DashboardFixture(Path dir, String auth, Duration liveInterval, DashboardServer.Limits limits)
      throws Exception {
    this(dir, auth, liveInterval, limits, r -> r);
  }

  /**
   * @param served what the server reads through, given the store's reader
   */
  DashboardFixture(
      Path dir,
      String auth,
      Duration liveInterval,
      DashboardServer.Limits limits,
      UnaryOperator<StoreReader> served)
      throws Exception {
    store = DuckDb.open(dir.resolve("store.duckdb"));
    reader = store.reader();
    server =
        DashboardServer.start(
            served.apply(reader),
            registry,
            new DashboardServer.Settings(
                "127.0.0.1", 0, auth, liveInterval, () -> IngestState.none("test")),
            limits);
  }

  /** Replays a recording at full speed and waits until all of it is committed. */
  DashboardFixture replay(Path recording) throws Exception {
    return replay(recording, 1000);
  }

  /** Replays a recording at full speed in batches of at most {@code batch}, and waits for it. */
  DashboardFixture replay(Path recording, int batch) throws Exception {
    Pipeline p =
        Pipeline.start(
            new RecordingSource(recording, 0),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(batch, Duration.ofMillis(50), Duration.ZERO),
            registry);
    // As run wires it: the dashboard hears of each commit.
    p.loader().onCommit(c -> server.storeChanged());
    p.awaitEnd();
    return this;
  }

  /** Starts replaying a recording at {@code speed} times real time; close it to stop. */
  Pipeline replayInBackground(Path recording, double speed) throws Exception {
    return Pipeline.start(
        new RecordingSource(recording, speed),
        new MemoryQueue(10_000),
        store,
        new Loader.Settings(1000, Duration.ofMillis(50), Duration.ZERO),
        registry);
  }

  /** Keeps an alert as the alerting thread would. */
  DashboardFixture record(Alert alert) throws Exception {
    store.recordAlert(alert);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** The sample's lines, to replay in parts. */
  static List<String> sampleLines() throws IOException {
    try (var in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  static Path write(Path file, List<String> lines) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (String l : lines) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return file;
  }

  @Override
  public void close() throws Exception {
    server.close();
    reader.close();
    store.close();
  }
}
