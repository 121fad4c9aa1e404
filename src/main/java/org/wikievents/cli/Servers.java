package org.wikievents.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wikievents.load.Loader;
import org.wikievents.store.StoreReader;
import org.wikievents.web.DashboardServer;

/** Starts the dashboard with a one-line error when the port cannot be had. */
final class Servers {
  private Servers() {}

  static DashboardServer start(
      StoreReader reader, PrometheusMeterRegistry registry, DashboardServer.Settings settings) {
    try {
      return DashboardServer.start(reader, registry, settings);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve the dashboard on port " + settings.port() + ": " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return String.valueOf(c.getMessage());
  }

  /** What /health says about ingestion. */
  static Map<String, Object> ingestState(Loader loader) {
    if (loader == null) {
      return Map.of("state", "starting");
    }
    Loader.Totals t = loader.totals();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "state", loader.failure() != null ? "failed" : loader.isRunning() ? "running" : "finished");
    if (loader.failure() != null) {
      m.put("error", loader.failure().getMessage());
    }
    m.put("received", t.received());
    m.put("stored", t.stored());
    m.put("duplicates", t.duplicates());
    m.put("quarantined", t.quarantined());
    m.put(
        "lastCommit", t.lastCommit() < 0 ? null : Instant.ofEpochMilli(t.lastCommit()).toString());
    return m;
  }
}
