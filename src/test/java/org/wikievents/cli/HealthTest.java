package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.testing.Await;
import org.wikievents.testing.ChildJvm;

/** /health tells the truth about the live feed: 503 while it cannot be reached, 200 once it can. */
class HealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private RecordedEventServer feed;

  @AfterEach
  void stopFeed() throws Exception {
    if (feed != null) {
      feed.close();
    }
  }

  @Test
  void liveSourceAtAClosedPortTurns503WithinTheThresholdAndBackTo200OnceEventsFlow()
      throws Exception {
    int feedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      feedPort = s.getLocalPort(); // closed again: nothing listens there until the feed starts
    }
    try (ChildJvm run =
        ChildJvm.start(
            dir,
            "run",
            "--stream-url",
            "http://127.0.0.1:" + feedPort + RecordedEventServer.PATH,
            "--health-max-retrying",
            "3s",
            "--db",
            dir.resolve("store.duckdb").toString(),
            "--port",
            "0")) {
      run.awaitOutput("dashboard on", Duration.ofMinutes(1));
      Matcher m = Pattern.compile("dashboard on http://[^:]+:(\\d+)").matcher(run.output());
      assertThat(m.find()).isTrue();
      URI health = URI.create("http://127.0.0.1:" + m.group(1) + "/health");

      long start = System.nanoTime();
      JsonNode failing = awaitStatus(health, 503, Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(failing.path("status").asText()).isEqualTo("failing");
      JsonNode source = failing.path("ingest").path("source");
      assertThat(source.path("state").asText()).isEqualTo("retrying");
      assertThat(source.path("lastError").asText()).contains("cannot reach");
      assertThat(source.path("failingSince").isTextual()).isTrue();

      feed =
          RecordedEventServer.start(
              RecordedEventServer.sample("recentchange-2026-05-05-multiwiki"), feedPort);
      // The client backs off up to a minute between attempts.
      awaitStatus(health, 200, Duration.ofSeconds(90));
      // 200 from the moment it connects; the first event follows.
      Await.until(
          "an event received",
          () ->
              JSON.readTree(get(health))
                  .path("ingest")
                  .path("source")
                  .path("lastEventReceived")
                  .isTextual());
      JsonNode ok = JSON.readTree(get(health));
      assertThat(ok.path("status").asText()).isEqualTo("ok");
      assertThat(ok.path("ingest").path("source").path("state").asText()).isEqualTo("connected");
      assertThat(ok.path("ingest").path("source").path("failingSince").isNull()).isTrue();
      assertThat(ok.path("ingest").path("source").path("lastEventReceived").isTextual()).isTrue();
      // One line for the whole outage, however many attempts it took.
      assertThat(run.output().split("cannot reach", -1)).hasSize(2);
      assertThat(run.output()).contains("connected to http://127.0.0.1:" + feedPort);
    }
  }

  @Test
  void theReaderServesHealthAndMetricsOnItsOwnPort() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (ChildJvm reader =
        ChildJvm.start(
            dir,
            "reader",
            "--stream-url",
            "http://127.0.0.1:" + closed + RecordedEventServer.PATH,
            "--health-max-retrying",
            "2s",
            "--state",
            dir.resolve("reader-state.json").toString(),
            "--port",
            "0")) {
      reader.awaitOutput("/health", Duration.ofMinutes(1));
      Matcher m = Pattern.compile("health on (http://[^\\s]+)/health").matcher(reader.output());
      assertThat(m.find()).as(reader.output()).isTrue();
      JsonNode failing =
          awaitStatus(URI.create(m.group(1) + "/health"), 503, Duration.ofSeconds(30));
      assertThat(failing.path("ingest").path("source").path("state").asText())
          .isEqualTo("retrying");
      assertEveryMetricHasHelp(get(URI.create(m.group(1) + "/metrics")), "wiki_events_read");
    }
  }

  @Test
  void aFinishedReplayIsHealthyAndEveryMetricHasHelpIncludingDiskUsage() throws Exception {
    try (ChildJvm run =
        ChildJvm.start(
            dir,
            "run",
            "--replay",
            org.wikievents.testing.Samples.MULTIWIKI_2026.toString(),
            "--speed",
            "max",
            "--db",
            dir.resolve("store.duckdb").toString(),
            "--port",
            "0")) {
      run.awaitOutput("replay done", Duration.ofMinutes(1));
      Matcher m = Pattern.compile("dashboard on (http://[^\\s;]+)").matcher(run.output());
      assertThat(m.find()).isTrue();
      JsonNode ok = awaitStatus(URI.create(m.group(1) + "/health"), 200, Duration.ofSeconds(10));
      assertThat(ok.path("ingest").path("state").asText()).isEqualTo("finished");
      String metrics = get(URI.create(m.group(1) + "/metrics"));
      assertEveryMetricHasHelp(metrics, "wiki_events_stored_total");
      Matcher db =
          Pattern.compile("wiki_events_store_bytes\\{part=\"database\"\\} (\\S+)").matcher(metrics);
      assertThat(db.find()).as(metrics).isTrue();
      assertThat(Double.parseDouble(db.group(1))).isGreaterThan(100_000);
      assertThat(metrics).contains("wiki_events_store_bytes{part=\"bronze\"}");
    }
  }

  private static void assertEveryMetricHasHelp(String metrics, String expected) {
    assertThat(metrics).contains(expected);
    List<String> help = metrics.lines().filter(l -> l.startsWith("# HELP ")).toList();
    List<String> names =
        metrics.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
    assertThat(names).isNotEmpty();
    for (String name : names) {
      assertThat(help)
          .as("HELP of " + name)
          .anySatisfy(h -> assertThat(h).matches("# HELP " + Pattern.quote(name) + " \\S.*"));
    }
  }

  private String get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private JsonNode awaitStatus(URI uri, int status, Duration timeout) throws Exception {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    try {
      Await.until(
          "HTTP " + status + " from " + uri,
          timeout,
          () -> {
            last.set(
                http.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            return last.get().statusCode() == status;
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; last: " + (last.get() == null ? null : last.get().body()), e);
    }
    return JSON.readTree(last.get().body());
  }
}
