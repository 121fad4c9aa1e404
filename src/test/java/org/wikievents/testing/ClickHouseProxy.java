package org.wikievents.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.wikievents.store.clickhouse.ClickHouseUrl;

/**
 * An HTTP relay on loopback between a store and a ClickHouse server, so a test can hold back a
 * statement or lose the answer to it. Each request runs on its own thread.
 */
public final class ClickHouseProxy implements AutoCloseable {

  /** Decides, per statement (the {@code query} URL parameter, or ""), what happens to it. */
  public interface Rule {
    /** Called before the statement is relayed (it may wait); true loses the server's answer. */
    boolean loseAnswer(String statement) throws InterruptedException;
  }

  private final ClickHouseUrl target;
  private final Rule rule;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient forward = HttpClient.newHttpClient();

  private ClickHouseProxy(ClickHouseUrl target, Rule rule) throws IOException {
    this.target = target;
    this.rule = rule;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::relay);
    server.setExecutor(threads);
    server.start();
  }

  public static ClickHouseProxy start(ClickHouseUrl target, Rule rule) throws IOException {
    return new ClickHouseProxy(target, rule);
  }

  /** The target's URL, reached through this proxy. */
  public ClickHouseUrl url() {
    return new ClickHouseUrl(
        "http://127.0.0.1:" + server.getAddress().getPort(),
        target.user(),
        target.password(),
        target.database());
  }

  private static String statement(URI uri) {
    String query = uri.getRawQuery();
    for (String p : query == null ? new String[0] : query.split("&")) {
      if (p.startsWith("query=")) {
        return URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static boolean isClickHouseHeader(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith("x-clickhouse");
  }

  private void relay(HttpExchange ex) throws IOException {
    try {
      boolean lose = rule.loseAnswer(statement(ex.getRequestURI()));
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(target.endpoint() + ex.getRequestURI()))
              .timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders()
          .forEach((n, values) -> values.forEach(v -> copyIf(isClickHouseHeader(n), req, n, v)));
      HttpResponse<byte[]> res = forward.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (lose) {
        ex.close(); // The server did the work; the client hears nothing.
        return;
      }
      res.headers()
          .map()
          .forEach(
              (n, values) -> {
                if (isClickHouseHeader(n)) {
                  ex.getResponseHeaders().put(n, values);
                }
              });
      ex.sendResponseHeaders(res.statusCode(), res.body().length == 0 ? -1 : res.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(res.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    }
  }

  private static void copyIf(boolean copy, HttpRequest.Builder req, String name, String value) {
    if (copy) {
      req.header(name, value);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
