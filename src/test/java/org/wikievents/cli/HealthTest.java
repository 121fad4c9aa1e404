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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.RecordedEventServer;
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
      JsonNode ok = awaitStatus(health, 200, Duration.ofSeconds(90));
      assertThat(ok.path("status").asText()).isEqualTo("ok");
      assertThat(ok.path("ingest").path("source").path("state").asText()).isEqualTo("connected");
      assertThat(ok.path("ingest").path("source").path("failingSince").isNull()).isTrue();
      assertThat(ok.path("ingest").path("source").path("lastEventReceived").isTextual()).isTrue();
      // One line for the whole outage, however many attempts it took.
      assertThat(run.output().split("cannot reach", -1)).hasSize(2);
      assertThat(run.output()).contains("connected to http://127.0.0.1:" + feedPort);
    }
  }

  private JsonNode awaitStatus(URI uri, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (last.statusCode() == status) {
        return JSON.readTree(last.body());
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no " + status + " within " + timeout + "; last: " + (last == null ? null : last.body()));
  }
}
