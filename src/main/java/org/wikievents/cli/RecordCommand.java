package org.wikievents.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.wikievents.source.SseEventSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Captures the live stream, SSE ids included, for a later {@code replay}. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
      "Captures the live stream as SSE (with ids) into a file, gzip if it ends in .gz, for a later"
          + " replay.",
      "Runs until stopped (Ctrl-C) unless --limit or --duration ends it first."
    })
final class RecordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LiveOptions live;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write.")
  Path out;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N events.")
  Long limit;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Stop after this long (e.g. 10m).")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    SseEventSource source = new SseEventSource(live.settings(null));
    AtomicLong written = new AtomicLong();
    OutputStream file = java.nio.file.Files.newOutputStream(out);
    if (out.toString().endsWith(".gz")) {
      file = new GZIPOutputStream(file, 1 << 16);
    }
    Thread stopper = null;
    if (duration != null) {
      stopper = new Thread(() -> sleepThenClose(source, duration), "record-timer");
      stopper.setDaemon(true);
      stopper.start();
    }
    try (Shutdown shutdown =
            Shutdown.install(Duration.ofSeconds(5), "the recording was cut short");
        Writer w = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8))) {
      shutdown.stopInputWith(source::close);
      source.run(
          event -> {
            // Events already in flight when the limit closed the source are not wanted.
            if (limit != null && written.get() >= limit) {
              return;
            }
            try {
              w.write("event: message\n");
              if (event.sseId() != null) {
                w.write("id: " + event.sseId() + "\n");
              }
              w.write("data: " + event.data() + "\n\n");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            long n = written.incrementAndGet();
            if (limit != null && n >= limit) {
              source.close();
            }
          });
    }
    spec.commandLine()
        .getErr()
        .println("wiki-events: recorded " + written.get() + " events to " + out);
    return 0;
  }

  private static void sleepThenClose(SseEventSource source, Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
  }
}
