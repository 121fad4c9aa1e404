package org.wikievents.cli;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.alert.Alerting;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.EventSource;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.SseEventSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.web.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The whole flow in one process: live feed (or a recording) → memory queue → DuckDB. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Collects every change on every Wikimedia wiki into the store and keeps going.",
      "Resumes after the last committed event when restarted. With --replay, reads a recording"
          + " instead of the live feed (works offline).",
      "Serves the dashboard on --port meanwhile; after a replay it keeps serving until Ctrl-C."
    })
final class RunCommand implements Callable<Integer> {
  /** Made when first used: --log-level must be applied before the first logger is made. */
  private static Logger log() {
    return LoggerFactory.getLogger(RunCommand.class);
  }

  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;
  @Mixin LiveOptions live;
  @Mixin LoadOptions load;
  @Mixin WebOptions web;
  @Mixin AlertOptions alerts;

  @Option(
      names = "--replay",
      paramLabel = "FILE",
      description =
          "Replay this recording (NDJSON or SSE capture, plain or .gz) instead of the live feed.")
  Path replay;

  @Option(
      names = "--speed",
      paramLabel = "N|max",
      defaultValue = "1",
      converter = Converters.SpeedConverter.class,
      description = "With --replay: multiple of real time, or max (default: ${DEFAULT-VALUE}).")
  double speed;

  @Override
  public Integer call() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Shutdown shutdown = Shutdown.install(Shutdown.COMMIT_GRACE, Shutdown.NOT_COMMITTED);
        EventStore store = storeOptions.open(load.rawRetention, load.parquetCopy);
        StoreReader reader = store.reader()) {
      EventSource source =
          replay != null
              ? new RecordingSource(Files.existing(replay), speed)
              : new SseEventSource(live.settings(store.checkpoint(live.stream).orElse(null)));
      if (source instanceof SseEventSource sse) {
        // The first connection is not a reconnect.
        FunctionCounter.builder(
                "wiki_events_reconnects", sse, s -> Math.max(0, s.connections() - 1))
            .description("Reconnections to the live feed since the start.")
            .register(registry);
      }
      storeOptions.registerDiskUsage(registry);
      try (Pipeline pipeline =
              Pipeline.readAndLoad(
                  source,
                  live.thresholds(),
                  new MemoryQueue(LoadOptions.QUEUE_CAPACITY),
                  store,
                  load.settings(),
                  registry);
          DashboardServer server =
              Servers.start(reader, registry, web.settings(pipeline::state), web.limits())) {
        pipeline.loader().onCommit(commit -> server.storeChanged());
        shutdown.stopInputWith(pipeline::stopInput);
        pipeline.start();
        try (Alerting alerting =
            Alerting.start(
                alerts.settings(),
                store,
                reader,
                pipeline.loader()::state,
                replay == null,
                registry)) {
          log()
              .info(
                  (replay != null ? "replaying " + replay : "following " + live.url())
                      + " into "
                      + storeOptions.describe()
                      + "; dashboard on "
                      + Servers.url(server));
          pipeline.awaitEnd();
          log()
              .info(
                  (shutdown.signalled() ? "stopped: " : "")
                      + Summary.of(pipeline.loader().totals(), 0));
          if (replay != null && !shutdown.signalled()) {
            log().info("replay done; dashboard still serving, Ctrl-C to stop");
            shutdown.awaitSignal();
          }
        }
      }
      return 0;
    }
  }
}
