package org.wikievents.cli;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.source.EventSource;
import org.wikievents.source.RecordingSource;
import org.wikievents.source.ResumeFile;
import org.wikievents.source.SseEventSource;
import org.wikievents.web.StatusServer;
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
  /** Made when first used: --log-level must be applied before the first logger is made. */
  private static Logger log() {
    return LoggerFactory.getLogger(ReaderCommand.class);
  }

  private static final long SAVE_EVERY_MILLIS = 1000;

  @Mixin LiveOptions live;
  @Mixin AmqpOptions amqp;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address /health and /metrics listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every"
              + " interface).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8081",
      converter = WebOptions.PortConverter.class,
      description = "Port of /health and /metrics (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

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
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RabbitQueue queue = new RabbitQueue(amqp.settings(1, maxUnconfirmed));
      try (queue;
          Pipeline pipeline =
              Pipeline.read(source, live.thresholds(), queue, "reader: publishes to RabbitMQ");
          StatusServer status = startStatus(registry, source, queue, pipeline)) {
        shutdown.stopInputWith(pipeline::stopInput);
        Thread saver = new Thread(() -> saveEverySecond(resume, queue, saved), "resume-file");
        saver.setDaemon(true);
        saver.start();
        log()
            .info(
                (replay != null ? "publishing " + replay : "following " + live.url())
                    + " to exchange "
                    + queue.settings().exchange()
                    + " at "
                    + queue.settings().maskedUri()
                    + (saved.containsKey(live.stream) && replay == null ? ", resuming" : "")
                    + "; health on http://"
                    + host
                    + ":"
                    + status.port()
                    + "/health");
        pipeline.start();
        pipeline.awaitEnd();
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

  private StatusServer startStatus(
      PrometheusMeterRegistry registry, EventSource source, RabbitQueue queue, Pipeline pipeline) {
    FunctionCounter.builder("wiki_events_read", source, EventSource::eventsRead)
        .description("Events read from the source.")
        .register(registry);
    FunctionCounter.builder("wiki_events_confirmed", queue, RabbitQueue::confirmed)
        .description("Events the broker confirmed.")
        .register(registry);
    try {
      return StatusServer.start(host, port, registry, pipeline::state);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve /health on " + host + ":" + port + " (set --port): " + Cli.oneLine(e), e);
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
      log().warn("cannot save the resume point: {}", Cli.oneLine(e));
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
      log().warn("cannot save the resume point: {}", Cli.oneLine(e));
    }
  }
}
