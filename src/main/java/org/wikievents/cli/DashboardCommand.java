package org.wikievents.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.wikievents.load.IngestState;
import org.wikievents.store.StoreReader;
import org.wikievents.web.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The dashboard over an existing store, read-only, with no ingestion. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the live dashboard and its API over an existing store, read-only.",
      "DuckDB lets one process open a file: while 'run' writes the store, use the dashboard 'run'"
          + " serves itself. A ClickHouse store (--clickhouse) can be read by any number of"
          + " dashboards while loaders write it; use a read-only user."
    })
final class DashboardCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;
  @Mixin WebOptions web;

  @Override
  public Integer call() throws Exception {
    DashboardServer.Settings settings = web.settings(() -> IngestState.none("read-only dashboard"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Shutdown shutdown = Shutdown.install(Duration.ofSeconds(5), "the dashboard did not stop");
        StoreReader reader = storeOptions.openReader();
        DashboardServer server = Servers.start(reader, registry, settings, web.limits())) {
      System.err.println(
          "wiki-events: dashboard of "
              + storeOptions.describe()
              + " on http://localhost:"
              + server.port());
      shutdown.awaitSignal();
      return 0;
    }
  }
}
