package org.wikievents.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wikievents.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.EventSource;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.SseEventSource;
import org.wikievents.store.EventStore;
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
          + " instead of the live feed (works offline)."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;
  @Mixin LiveOptions live;
  @Mixin LoadOptions load;

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
    MeterRegistry registry = new SimpleMeterRegistry();
    try (EventStore store = storeOptions.open(load.rawRetention)) {
      EventSource source =
          replay != null
              ? new RecordingSource(Files.existing(replay), speed)
              : new SseEventSource(live.settings(store.checkpoint(live.stream).orElse(null)));
      Pipeline pipeline =
          Pipeline.start(
              source,
              new MemoryQueue(LoadOptions.QUEUE_CAPACITY),
              store,
              load.settings(),
              registry);
      Shutdown.onSignal(pipeline);
      spec.commandLine()
          .getErr()
          .println(
              "wiki-events: "
                  + (replay != null ? "replaying " + replay : "following " + live.url())
                  + " into "
                  + storeOptions.describe());
      pipeline.awaitEnd();
      spec.commandLine()
          .getErr()
          .println("wiki-events: " + Summary.of(pipeline.loader().totals(), 0));
      return 0;
    }
  }
}
