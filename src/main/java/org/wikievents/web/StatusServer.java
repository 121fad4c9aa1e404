package org.wikievents.web;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.wikievents.load.IngestState;

/**
 * {@code /health} and {@code /metrics} alone, for a role without a dashboard (the reader): 503 when
 * ingestion is unhealthy.
 */
public final class StatusServer implements AutoCloseable {
  private final Javalin app;

  private StatusServer(
      String host, int port, PrometheusMeterRegistry registry, Supplier<IngestState> health) {
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              config.routes.before(
                  ctx -> {
                    ctx.header("X-Content-Type-Options", "nosniff");
                    ctx.header("Content-Security-Policy", "default-src 'none'");
                  });
              config.routes.get(
                  "/health",
                  ctx -> {
                    IngestState ingest = health.get();
                    boolean healthy = ingest.healthy();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", healthy ? "ok" : "failing");
                    body.put("ingest", DashboardServer.ingestJson(ingest));
                    ctx.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
                  });
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
            });
  }

  public static StatusServer start(
      String host, int port, PrometheusMeterRegistry registry, Supplier<IngestState> health) {
    StatusServer s = new StatusServer(host, port, registry, health);
    s.app.start();
    return s;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
