package org.wikievents.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.source.EventSource;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.ResumeFile;
import org.wikievents.source.SseEventSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The reading role: live feed (or a recording) → RabbitMQ, resuming after what was confirmed. */
@Command(
    name = "reader",
    mixinStandardHelpOptions = true,
    description = {
      "Follows the live feed (or replays a recording) and publishes every event to RabbitMQ,"
          + " for 'loader' processes elsewhere to store.",
      "Remembers the last event the broker confirmed in the --state file and resumes after it"
          + " when restarted. Waits (and stops reading) while the broker is unreachable."
    })
final class ReaderCommand implements Callable<Integer> {
  private static final long SAVE_EVERY_MILLIS = 1000;

  @Mixin LiveOptions live;
  @Mixin AmqpOptions amqp;

  @Option(
      names = "--state",
      paramLabel = "PATH",
      defaultValue = "data/reader-state.json",
      description = "Where the confirmed resume point is kept (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--replay",
      paramLabel = "FILE",
      description =
          "Publish this recording (NDJSON or SSE capture, plain or .gz) instead of the live"
              + " feed, then exit.")
  Path replay;

  @Option(
      names = "--speed",
      paramLabel = "N|max",
      defaultValue = "max",
      converter = Converters.SpeedConverter.class,
      description = "With --replay: multiple of real time, or max (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--max-unconfirmed",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Most events published and not yet confirmed by the broker; more waits"
              + " (default: ${DEFAULT-VALUE}).")
  int maxUnconfirmed;

  @Override
  public Integer call() throws Exception {
    ResumeFile resume = new ResumeFile(state);
    Map<String, String> saved = resume.load();
    EventSource source =
        replay != null
            ? new RecordingSource(Files.existing(replay), speed)
            : new SseEventSource(live.settings(saved.get(live.stream)));
    try (Shutdown shutdown =
        Shutdown.install(
            Duration.ofSeconds(10), "the broker did not confirm the last events in time")) {
      shutdown.stopInputWith(source::close);
      RabbitQueue queue = new RabbitQueue(amqp.settings(1, maxUnconfirmed));
      try (queue) {
        Thread saver = new Thread(() -> saveEverySecond(resume, queue, saved), "resume-file");
        saver.setDaemon(true);
        saver.start();
        System.err.println(
            "wiki-events: "
                + (replay != null ? "publishing " + replay : "following " + live.url())
                + " to exchange "
                + queue.settings().exchange()
                + " at "
                + queue.settings().maskedUri()
                + (saved.containsKey(live.stream) && replay == null ? ", resuming" : ""));
        source.run(queue);
        queue.awaitConfirms();
        saver.interrupt();
        resume.save(queue.confirmedIds());
        System.out.printf(
            Locale.ROOT,
            "published %,d events, %,d confirmed by the broker%n",
            source.eventsRead(),
            queue.confirmed());
        return 0;
      } finally {
        keep(resume, queue);
      }
    }
  }

  private static void saveEverySecond(
      ResumeFile resume, RabbitQueue queue, Map<String, String> saved) {
    Map<String, String> last = saved;
    try {
      while (true) {
        Thread.sleep(SAVE_EVERY_MILLIS);
        Map<String, String> now = queue.confirmedIds();
        if (!now.isEmpty() && !now.equals(last)) {
          resume.save(now);
          last = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      System.err.println("wiki-events: cannot save the resume point: " + Cli.oneLine(e));
    }
  }

  /** Keeps what the broker confirmed, however the command ended. */
  private static void keep(ResumeFile resume, RabbitQueue queue) {
    Map<String, String> ids = queue.confirmedIds();
    if (ids.isEmpty()) {
      return;
    }
    try {
      resume.save(ids);
    } catch (java.io.IOException e) {
      System.err.println("wiki-events: cannot save the resume point: " + Cli.oneLine(e));
    }
  }
}
