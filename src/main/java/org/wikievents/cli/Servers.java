package org.wikievents.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    if (settings.port() != 0 && taken(settings.host(), settings.port())) {
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
          "cannot serve the dashboard on "
              + settings.host()
              + " port "
              + settings.port()
              + ": "
              + rootMessage(e)
              + " (choose another with --host or --port N)",
          e);
    }
  }

  /**
   * Whether the port is in use on that address; checked first so Javalin does not log an error. An
   * address that cannot be listened on at all is left to the server's own message.
   */
  private static boolean taken(String host, int port) {
    return !bindable(host, port) && bindable(host, 0);
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Where to open the dashboard in a browser. */
  static String url(DashboardServer server) {
    String host = server.host();
    boolean local = host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals("::");
    return "http://" + (local ? "localhost" : host) + ":" + server.port();
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return String.valueOf(c.getMessage());
  }
}
