package org.wikievents.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    CountDownLatch done = new CountDownLatch(1);
    try (RabbitQueue queue = new RabbitQueue(amqp.settings(1, maxUnconfirmed))) {
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(source, main, done, resume, queue), "shutdown"));
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
      done.countDown();
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

  /** On Ctrl-C or SIGTERM: stop reading, give the broker a moment to confirm, keep the point. */
  private static void stop(
      EventSource source, Thread main, CountDownLatch done, ResumeFile resume, RabbitQueue queue) {
    source.close();
    try {
      if (!done.await(10, TimeUnit.SECONDS)) {
        main.interrupt();
        if (!done.await(2, TimeUnit.SECONDS)) {
          System.err.println("wiki-events: the broker did not confirm the last events in time");
        }
      }
      Map<String, String> ids = queue.confirmedIds();
      if (!ids.isEmpty()) {
        resume.save(ids);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      System.err.println("wiki-events: cannot save the resume point: " + Cli.oneLine(e));
    }
  }
}
