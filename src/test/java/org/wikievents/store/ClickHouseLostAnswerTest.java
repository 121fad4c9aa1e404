package org.wikievents.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;

/**
 * The insert into silver lands on the server but its answer never reaches the loader: a proxy on
 * loopback forwards it, then drops the connection. The retry carries the same token, so the server
 * drops it, and gold counts each event once.
 */
class ClickHouseLostAnswerTest {
  private final List<String> statements = new CopyOnWriteArrayList<>();
  private final AtomicBoolean dropNextSilverAnswer = new AtomicBoolean(true);
  private final HttpClient forward = HttpClient.newHttpClient();
  private ClickHouseServer.Database db;
  private HttpServer proxy;

  @BeforeEach
  void start() throws Exception {
    db = ClickHouseServer.createDatabase("wiki_events_lost");
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", this::relay);
    proxy.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.stop(0);
    }
    if (db != null) {
      db.close();
    }
  }

  private void relay(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    String statement = "";
    for (String p : query == null ? new String[0] : query.split("&")) {
      if (p.startsWith("query=")) {
        statement = URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8);
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(db.url().endpoint() + ex.getRequestURI()))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (name.toLowerCase().startsWith("x-clickhouse")) {
                values.forEach(v -> req.header(name, v));
              }
            });
    HttpResponse<byte[]> res;
    try {
      res = forward.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (statement.startsWith("INSERT INTO wiki ")) {
      statements.add(statement);
      if (dropNextSilverAnswer.getAndSet(false)) {
        ex.close(); // The server did the insert; the loader hears nothing.
        return;
      }
    }
    res.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (name.toLowerCase().startsWith("x-clickhouse")) {
                ex.getResponseHeaders().put(name, values);
              }
            });
    ex.sendResponseHeaders(res.statusCode(), res.body().length == 0 ? -1 : res.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(res.body());
    }
  }

  @Test
  void aRetriedInsertWhoseFirstAnswerWasLostCountsEachEventOnce() throws Exception {
    List<String> lines = Samples.lines(Samples.NEW_ITEMS_2018);
    EventParser parser = new EventParser();
    List<ParseResult> batch =
        lines.stream().map(l -> parser.parse(RawEvent.of("replay", null, l, 0))).toList();
    ClickHouseUrl viaProxy =
        new ClickHouseUrl(
            "http://127.0.0.1:" + proxy.getAddress().getPort(),
            db.url().user(),
            db.url().password(),
            db.url().database());

    WriteResult result;
    try (ClickHouseStore store =
        ClickHouseStore.open(viaProxy, ClickHouseStore.Layout.SINGLE, Duration.ZERO)) {
      result = store.write(batch);
    }

    assertThat(statements).as("silver insert sent, answer lost, sent again").hasSize(2);
    assertThat(result.stored()).isEqualTo(lines.size());
    try (Client c = ClickHouseServer.client(db.url())) {
      Map<String, Long> counts =
          Map.of(
              "silver rows", c.queryAll("SELECT count() FROM wiki").get(0).getLong(1),
              "gold sum",
                  c.queryAll("SELECT sum(events) FROM wiki_bywiki_summary").get(0).getLong(1),
              "hourly sum",
                  c.queryAll("SELECT sum(events) FROM wiki_hourly_summary").get(0).getLong(1));
      assertThat(counts)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "silver rows", (long) lines.size(),
                  "gold sum", (long) lines.size(),
                  "hourly sum", (long) lines.size()));
    }
  }
}
