package org.wikievents.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.SourceStatus;
import org.wikievents.store.EventStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A recording through the very same pipeline as the live feed; exits when it is done. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Pushes a recording through the same pipeline as the live feed and prints a summary.",
      "Accepts NDJSON of events and raw SSE captures, plain or gzip. Replaying a file twice"
          + " changes nothing the second time."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The recording.")
  Path file;

  @Mixin StoreOptions storeOptions;
  @Mixin LoadOptions load;

  @Option(
      names = "--speed",
      paramLabel = "N|max",
      defaultValue = "max",
      converter = Converters.SpeedConverter.class,
      description = "max, or a multiple of real time by event time (default: ${DEFAULT-VALUE}).")
  double speed;

  @Override
  public Integer call() throws Exception {
    RecordingSource source = new RecordingSource(Files.existing(file), speed);
    try (Shutdown shutdown = Shutdown.install(Shutdown.COMMIT_GRACE, Shutdown.NOT_COMMITTED);
        EventStore store = storeOptions.open(load.rawRetention, load.parquetCopy);
        Pipeline pipeline =
            Pipeline.readAndLoad(
                source,
                SourceStatus.Thresholds.DEFAULT,
                new MemoryQueue(LoadOptions.QUEUE_CAPACITY),
                store,
                load.settings(),
                new SimpleMeterRegistry())) {
      long start = System.nanoTime();
      shutdown.stopInputWith(pipeline::stopInput);
      pipeline.start();
      try (Progress progress = Progress.startIfTerminal(source, pipeline.loader())) {
        pipeline.awaitEnd();
      }
      spec.commandLine()
          .getOut()
          .println(
              "replayed "
                  + file
                  + ": "
                  + Summary.of(pipeline.loader().totals(), System.nanoTime() - start));
      if (source.strayLines() > 0) {
        spec.commandLine()
            .getOut()
            .println(
                "skipped "
                    + source.strayLines()
                    + " lines that were neither SSE fields nor comments");
      }
      return 0;
    }
  }
}
