package org.wikievents.cli;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.wikievents.load.IngestState;
import org.wikievents.web.DashboardServer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Where the dashboard listens and who may read it. */
final class WebOptions {
  static final String AUTH_ENV = "WIKI_EVENTS_AUTH";

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      converter = PortConverter.class,
      description = "Port of the dashboard (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--auth",
      paramLabel = "USER:PASSWORD",
      description =
          "Require HTTP basic auth for the dashboard (default: the "
              + AUTH_ENV
              + " environment variable, else none). /health stays open.")
  String auth;

  @Option(
      names = "--max-live-clients",
      paramLabel = "N",
      defaultValue = "1000",
      converter = Converters.PositiveConverter.class,
      description =
          "Live streams (open dashboard pages) served at once; more are told to retry later"
              + " (default: ${DEFAULT-VALUE}).")
  int maxLiveClients;

  @Option(
      names = "--max-connections-per-client",
      paramLabel = "N",
      defaultValue = "64",
      converter = Converters.PositiveConverter.class,
      description = "Connections one client address may hold open (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerClient;

  @Option(
      names = "--allowed-hosts",
      paramLabel = "NAME[,NAME...]",
      split = ",",
      description =
          "Host names the dashboard answers to besides localhost (against DNS rebinding);"
              + " * for any. Default: any, or only loopback names when listening on loopback.")
  List<String> allowedHosts = List.of();

  DashboardServer.Limits limits() {
    return new DashboardServer.Limits(
        maxLiveClients,
        maxConnectionsPerClient,
        DashboardServer.Limits.DEFAULT.headerDeadline(),
        allowedHosts);
  }

  DashboardServer.Settings settings(Supplier<IngestState> ingest) {
    String a = auth != null ? auth : System.getenv(AUTH_ENV);
    if (a != null && (a.indexOf(':') < 1 || a.endsWith(":"))) {
      throw new IllegalArgumentException("--auth must be USER:PASSWORD");
    }
    return new DashboardServer.Settings(
        port, a == null || a.isEmpty() ? null : a, Duration.ofMillis(250), ingest);
  }

  static final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int p = Integer.parseInt(value.trim());
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException ignored) {
        // falls through to the message below
      }
      throw new TypeConversionException("'" + value + "' is not a port (0-65535)");
    }
  }
}
