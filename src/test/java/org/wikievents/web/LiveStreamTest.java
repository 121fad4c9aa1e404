package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Pipeline;
import org.wikievents.testing.Await;

/** The live stream under clients that hang up, stop reading or come in crowds. */
class LiveStreamTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dir;
  private DashboardFixture fixture;
  private final List<RawHttp> sockets = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (RawHttp s : sockets) {
      s.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void clientsThatHangUpAreForgottenWithoutALogLineEach() throws Exception {
    // No cap on connections per client here: hung-up streams are noticed at the next tick only.
    fixture =
        new DashboardFixture(
                dir,
                null,
                Duration.ofMillis(300),
                new DashboardServer.Limits(1000, 100_000, DEADLINE, List.of()))
            .replay(DashboardFixture.SAMPLE);
    long threadsBefore = threadsOutsideJettysPool();
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 100; i++) {
        try (RawHttp c = RawHttp.connect(fixture.server.port())) {
          c.get("/api/live", "Accept: text/event-stream\r\n");
          assertThat(c.read(50)).hasSize(50);
        }
      }
      await(() -> liveClients() == 0, "every hung-up client forgotten");
      // A few ticks more (300 ms apart): nothing may be written about the clients that went.
      Await.during(
          "a word about the clients that went", Duration.ofSeconds(1), () -> log.size() == 0);
    } finally {
      System.setErr(err);
    }
    // Jetty's own pool is bounded by its maximum; nothing else may grow per client.
    assertThat(threadsOutsideJettysPool()).isLessThan(threadsBefore + 10);
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aClientThatStopsReadingIsDroppedWhileOthersKeepReceiving() throws Exception {
    fixture =
        new DashboardFixture(dir, null, Duration.ofMillis(100), DashboardServer.Limits.DEFAULT);
    // The store changes all the time, so every commit sends every client an update.
    Pipeline writer = fixture.replayInBackground(DashboardFixture.SAMPLE, 4);
    // Small socket buffers on both sides, so a client that does not read blocks writes at once.
    for (var c : fixture.server.jetty().getConnectors()) {
      ((org.eclipse.jetty.server.ServerConnector) c).setAcceptedSendBufferSize(8192);
    }
    try {
      for (int i = 0; i < 5; i++) {
        RawHttp stuck = RawHttp.connect(fixture.server.port(), 1024);
        sockets.add(stuck);
        stuck.get("/api/live", "Accept: text/event-stream\r\n");
      }
      AtomicLong lastReceived = new AtomicLong();
      AtomicLong longestGap = new AtomicLong();
      AtomicLong snapshots = new AtomicLong();
      Thread healthy =
          new Thread(
              () -> {
                try (InputStream body = openLive("/api/live");
                    BufferedReader in =
                        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                      long now = System.nanoTime();
                      long before = lastReceived.getAndSet(now);
                      if (before != 0) {
                        longestGap.accumulateAndGet(now - before, Math::max);
                      }
                    } else if (line.equals("event: snapshot") || line.equals("event: update")) {
                      snapshots.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  // closed at the end of the test
                }
              });
      healthy.setDaemon(true);
      healthy.start();
      await(() -> liveClients() == 1, "the clients that stopped reading dropped");
      long seen = snapshots.get();
      await(
          () -> snapshots.get() > seen + 3, "the healthy client still gets snapshots and updates");
      // Ticks are 100 ms apart; a stuck client used to stall everyone for a 30 s idle timeout.
      // The margin is for a loaded 2-core machine reading snapshots while it replays.
      assertThat(Duration.ofNanos(longestGap.get())).isLessThan(Duration.ofSeconds(2));
    } finally {
      writer.close();
    }
  }

  @Test
  void beyondTheCapLiveClientsAreToldToComeBackLater() throws Exception {
    fixture =
        new DashboardFixture(
            dir,
            null,
            Duration.ofMillis(300),
            new DashboardServer.Limits(2, 64, DEADLINE, List.of()));
    for (int i = 0; i < 2; i++) {
      RawHttp c = RawHttp.connect(fixture.server.port());
      sockets.add(c);
      assertThat(RawHttp.status(c.get("/api/live", "Accept: text/event-stream\r\n").head()))
          .isEqualTo(200);
    }
    await(() -> liveClients() == 2, "two live clients");
    try (RawHttp third = RawHttp.connect(fixture.server.port())) {
      String head = third.get("/api/live", "Accept: text/event-stream\r\n").head();
      assertThat(RawHttp.status(head)).isEqualTo(503);
      assertThat(head).containsIgnoringCase("Retry-After: 5");
    }
    sockets.get(0).close();
    await(() -> liveClients() == 1, "a place freed");
    try (RawHttp again = RawHttp.connect(fixture.server.port())) {
      assertThat(RawHttp.status(again.get("/api/live", "Accept: text/event-stream\r\n").head()))
          .isEqualTo(200);
    }
  }

  @Test
  void theLiveStreamIsOnlyForEventStreamClientsAndTakesOnlyThePresetRanges() throws Exception {
    fixture = new DashboardFixture(dir, null);
    HttpResponse<String> plain =
        http.send(
            HttpRequest.newBuilder(URI.create(fixture.url("/api/live")))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(406);
    assertThat(plain.body()).contains("text/event-stream");
    HttpResponse<String> ranged =
        http.send(
            HttpRequest.newBuilder(URI.create(fixture.url("/api/live?range=zzz")))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ranged.statusCode()).isEqualTo(400);
    assertThat(ranged.body()).contains("range must be one of 1h, 24h, 7d, 30d, all");
    assertThat(liveClients()).isZero();
  }

  private static long threadsOutsideJettysPool() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                !t.getName().startsWith("JettyServerThreadPool")
                    && !t.getName().startsWith("HttpClient"))
        .count();
  }

  private InputStream openLive(String path) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(fixture.url(path)))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private int liveClients() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(fixture.url("/health")))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return json.readTree(r.body()).get("liveClients").asInt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, DEADLINE, condition::getAsBoolean);
  }
}
