package org.wikievents.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.store.StoreReader;
import org.wikievents.web.DashboardServer;

/** Starts the dashboard with a one-line error when the port cannot be had. */
final class Servers {
  private Servers() {}

  static DashboardServer start(
      StoreReader reader,
      PrometheusMeterRegistry registry,
      DashboardServer.Settings settings,
      DashboardServer.Limits limits) {
    if (settings.port() != 0 && !free(settings.port())) {
      throw new IllegalStateException(
          "port "
              + settings.port()
              + " is in use (another wiki-events?): choose another with --port N (0 picks a free"
              + " one)");
    }
    try {
      return DashboardServer.start(reader, registry, settings, limits);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve the dashboard on port "
              + settings.port()
              + ": "
              + rootMessage(e)
              + " (choose another with --port N)",
          e);
    }
  }

  /** Whether the port can be listened on now; checked first so Javalin does not log an error. */
  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return String.valueOf(c.getMessage());
  }

  /** What /health says about ingestion, before the loader exists and after. */
  static IngestState ingestState(Loader loader) {
    return loader == null ? IngestState.STARTING : loader.state();
  }
}
