package org.wikievents.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.alert.Alerting;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.queue.RabbitSettings;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.web.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The loading role: RabbitMQ → store, acknowledging each batch only after it is committed. */
@Command(
    name = "loader",
    mixinStandardHelpOptions = true,
    description = {
      "Stores the events 'reader' processes publish to RabbitMQ, in batches, acknowledging each"
          + " batch to the broker only after it is committed.",
      "With DuckDB, run exactly one loader per store file; it also serves the dashboard (--port)."
          + " With ClickHouse (--clickhouse) several loaders may share one queue and store."
          + " Reconnects by itself when the broker"
          + " goes away; events delivered twice are stored once."
    })
final class LoaderCommand implements Callable<Integer> {
  /** Made when first used: --log-level must be applied before the first logger is made. */
  private static Logger log() {
    return LoggerFactory.getLogger(LoaderCommand.class);
  }

  @Mixin StoreOptions storeOptions;
  @Mixin LoadOptions load;
  @Mixin AmqpOptions amqp;
  @Mixin WebOptions web;
  @Mixin AlertOptions alerts;

  @Option(
      names = "--exit-when-idle",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "Exit once nothing arrived for this long while connected (for batch jobs); by default"
              + " the loader runs until stopped.")
  Duration exitWhenIdle;

  @Override
  public Integer call() throws Exception {
    Loader.Settings settings = load.settings();
    // basic.qos of at least one batch, so a batch can fill while the previous one is committed.
    int prefetch = (int) Math.min(RabbitSettings.MAX_PREFETCH, 2L * settings.maxBatch());
    // The queue first: a bad URI or name is reported before a store file is created.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Shutdown shutdown = Shutdown.install(Shutdown.COMMIT_GRACE, Shutdown.NOT_COMMITTED);
        RabbitQueue queue = new RabbitQueue(amqp.settings(prefetch, 1));
        EventStore store = storeOptions.open(settings.rawRetention(), load.parquetCopy);
        StoreReader reader = store.reader();
        Pipeline pipeline = Pipeline.load(queue, store, settings, registry);
        // DuckDB allows one process per file: the loader is also where its dashboard is served.
        DashboardServer server =
            Servers.start(reader, registry, web.settings(pipeline::state), web.limits())) {
      long start = System.nanoTime();
      storeOptions.registerDiskUsage(registry);
      shutdown.stopInputWith(pipeline::stopInput);
      pipeline.start();
      try (Alerting alerting =
          Alerting.start(
              alerts.settings(), store, reader, pipeline.loader()::state, true, registry)) {
        log()
            .info(
                "loading queue "
                    + queue.settings().queue()
                    + " at "
                    + queue.settings().maskedUri()
                    + " into "
                    + storeOptions.describe()
                    + "; dashboard on "
                    + Servers.url(server));
        while (exitWhenIdle != null && pipeline.loader().isRunning()) {
          Thread.sleep(100);
          if (queue.quietFor().compareTo(exitWhenIdle) >= 0) {
            pipeline.stopInput();
          }
        }
        pipeline.awaitEnd();
      }
      System.out.println(
          "loaded: " + Summary.of(pipeline.loader().totals(), System.nanoTime() - start));
      return 0;
    }
  }
}
