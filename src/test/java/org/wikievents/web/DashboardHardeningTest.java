package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.Snapshot;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;

/**
 * The dashboard under hostile requests, all on loopback over plain sockets: malformed credentials,
 * foreign host names, bad encodings, requests Jetty itself refuses, piled-up and slow connections.
 * Each test also holds that nothing was logged per bad request.
 */
class DashboardHardeningTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String CRED = "user:secret";
  @TempDir Path dir;
  private DashboardFixture fixture;
  private final List<RawHttp> sockets = new ArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream err;

  @BeforeEach
  void captureLog() {
    err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void close() throws Exception {
    for (RawHttp s : sockets) {
      s.close();
    }
    boolean served = fixture != null;
    if (served) {
      fixture.close();
    }
    System.setErr(err);
    if (served) {
      // The capture works: the server's own start line is in it.
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("Javalin started");
    }
    // Jetty's and Javalin's start and stop lines are INFO; nothing per request may be.
    assertThat(log.toString(StandardCharsets.UTF_8))
        .doesNotContain("WARN")
        .doesNotContain("ERROR")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private DashboardFixture start(String auth, DashboardServer.Limits limits) throws Exception {
    fixture = new DashboardFixture(dir, auth, Duration.ofMillis(300), limits);
    return fixture;
  }

  private String get(String target, String headers) throws Exception {
    try (RawHttp c = RawHttp.connect(fixture.server.port())) {
      return c.get(target, headers + "Connection: close\r\n").rest(Duration.ofSeconds(10));
    }
  }

  private static String basic(String text) {
    return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void malformedBasicCredentialsAreA401WithAChallenge() throws Exception {
    start(CRED, DashboardServer.Limits.DEFAULT);
    for (String header :
        List.of(
            "Basic dXNlcnNlY3JldA==", // no colon
            "Basic !!!notbase64***",
            "Basic  dXNlcjpzZWNyZXQ=", // two spaces
            "Basic",
            "Bearer dXNlcjpzZWNyZXQ=")) {
      String answer = get("/api/kpis", "Authorization: " + header + "\r\n");
      assertThat(RawHttp.status(answer)).as(header).isEqualTo(401);
      assertThat(answer).as(header).contains("WWW-Authenticate: Basic realm=\"wiki-events\"");
    }
    // The scheme is case-insensitive (RFC 7617).
    String lower = get("/api/kpis", "Authorization: basic dXNlcjpzZWNyZXQ=\r\n");
    assertThat(RawHttp.status(lower)).isEqualTo(200);
  }

  @Test
  void anAddressThatKeepsGuessingHasToWait() throws Exception {
    start(CRED, DashboardServer.Limits.DEFAULT);
    for (int i = 0; i <= BasicAuth.FREE_FAILURES; i++) {
      String wrong = get("/api/kpis", "Authorization: " + basic("user:guess" + i) + "\r\n");
      assertThat(RawHttp.status(wrong)).isEqualTo(401);
    }
    // Now even the right password waits: guessing costs time, not just a request.
    String right = get("/api/kpis", "Authorization: " + basic(CRED) + "\r\n");
    assertThat(RawHttp.status(right)).isEqualTo(429);
    assertThat(right).containsPattern("Retry-After: [0-9]+");
    // Asking without credentials (what a browser does first) is no guess and costs nothing.
    assertThat(RawHttp.status(get("/health", ""))).isEqualTo(200);
  }

  @Test
  void onlyAllowedHostNamesAreAnswered() throws Exception {
    start(null, new DashboardServer.Limits(10, 64, DEADLINE, List.of("dash.example.org")));
    assertThat(RawHttp.status(getWithHost("/api/kpis", "rebind.attacker.example"))).isEqualTo(421);
    assertThat(RawHttp.status(getWithHost("/", "rebind.attacker.example:8080"))).isEqualTo(421);
    assertThat(RawHttp.status(getWithHost("/api/kpis", "dash.example.org:8080"))).isEqualTo(200);
    assertThat(RawHttp.status(getWithHost("/api/kpis", "localhost:8080"))).isEqualTo(200);
    assertThat(RawHttp.status(getWithHost("/api/kpis", "[::1]:8080"))).isEqualTo(200);
  }

  @Test
  void aServerOnTheDefaultLoopbackAddressAnswersOnlyLoopbackNames() throws Exception {
    start(null, DashboardServer.Limits.DEFAULT);
    assertThat(fixture.server.host()).isEqualTo("127.0.0.1");
    assertThat(RawHttp.status(getWithHost("/api/kpis", "rebind.attacker.example"))).isEqualTo(421);
    assertThat(RawHttp.status(getWithHost("/api/kpis", "localhost:8080"))).isEqualTo(200);
  }

  @Test
  void onLoopbackOnlyLoopbackNamesAreAllowedByDefault() {
    AllowedHosts loopback = AllowedHosts.of("127.0.0.1", List.of());
    assertThat(loopback.allows("rebind.attacker.example")).isFalse();
    assertThat(loopback.allows("localhost:8080")).isTrue();
    assertThat(loopback.allows("127.0.0.1:8080")).isTrue();
    assertThat(loopback.allows("[::1]:8080")).isTrue();
    assertThat(AllowedHosts.of("0.0.0.0", List.of()).allows("dash.example.org")).isTrue();
    assertThat(AllowedHosts.of("0.0.0.0", List.of("a.example")).allows("b.example")).isFalse();
  }

  private String getWithHost(String target, String host) throws Exception {
    try (RawHttp c = RawHttp.connect(fixture.server.port())) {
      return c.send(
              "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .rest(Duration.ofSeconds(10));
    }
  }

  @Test
  void badPercentEncodingAndRangesOtherThanThePresetsAre400() throws Exception {
    start(null, DashboardServer.Limits.DEFAULT);
    for (String target :
        List.of(
            "/api/kpis?wiki=%zz",
            "/api/kpis?wiki=enwiki&wiki=%zz",
            "/api/top-wikis?range=%zz",
            "/api/kpis?wiki=%e",
            "/api/snapshot?range=garbage",
            "/api/snapshot?range=1m",
            "/api/live?range=garbage",
            "/api/snapshot?range=24h&from=2026-05-05&to=2026-05-06")) {
      String answer = get(target, "Accept: text/event-stream\r\n");
      assertThat(RawHttp.status(answer)).as(target).isEqualTo(400);
      assertThat(answer).as(target).contains("\"error\"");
    }
    for (String preset : List.of("1h", "24h", "7d", "30d", "all")) {
      String answer = get("/api/snapshot?range=" + preset, "");
      assertThat(RawHttp.status(answer)).as(preset).isEqualTo(200);
      assertThat(body(answer)).as(preset).contains("\"preset\":\"" + preset + "\"");
    }
  }

  @Test
  void jettysOwnErrorAnswersCarryTheSecurityHeaders() throws Exception {
    start(null, DashboardServer.Limits.DEFAULT);
    Map<String, Integer> requests =
        Map.of(
            "GARBAGE\r\n\r\n",
            400,
            "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
            431,
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            505);
    for (Map.Entry<String, Integer> e : requests.entrySet()) {
      try (RawHttp c = RawHttp.connect(fixture.server.port())) {
        String head = c.send(e.getKey()).head();
        assertThat(RawHttp.status(head)).as(head).isEqualTo(e.getValue());
        assertThat(head).as(head).contains("Content-Security-Policy: " + DashboardServer.CSP);
        assertThat(head).as(head).contains("X-Content-Type-Options: nosniff");
      }
    }
  }

  @Test
  void oneAddressCannotHoldMoreThanItsShareOfConnections() throws Exception {
    start(null, new DashboardServer.Limits(10, 3, DEADLINE, List.of()));
    for (int i = 0; i < 3; i++) {
      RawHttp c = RawHttp.connect(fixture.server.port());
      sockets.add(c);
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(RawHttp.status(c.head())).isEqualTo(200);
    }
    try (RawHttp fourth = RawHttp.connect(fixture.server.port())) {
      assertThat(fourth.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
    }
    sockets.remove(0).close();
    LiveStreamTest.await(
        () -> {
          try (RawHttp again = RawHttp.connect(fixture.server.port())) {
            String answer = again.get("/health", "Connection: close\r\n").rest(DEADLINE);
            return answer.startsWith("HTTP/1.1 200");
          } catch (Exception e) {
            return false;
          }
        },
        "a connection once one closed");
  }

  @Test
  void headersSentByTheByteAreCutAtTheDeadline() throws Exception {
    start(null, new DashboardServer.Limits(10, 64, Duration.ofMillis(500), List.of()));
    try (RawHttp slow = RawHttp.connect(fixture.server.port())) {
      slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      long started = System.nanoTime();
      boolean closed = false;
      // One header line every 100 ms: never idle long enough for the idle timeout.
      for (int i = 0; i < 100 && !closed; i++) {
        try {
          slow.send("X-Slow-" + i + ": x\r\n");
        } catch (java.io.IOException e) {
          closed = true;
          break;
        }
        closed = slow.closedByServerWithin(Duration.ofMillis(100));
      }
      assertThat(closed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
    // A connection that keeps its requests coming in time is not touched.
    try (RawHttp c = RawHttp.connect(fixture.server.port())) {
      for (int i = 0; i < 3; i++) {
        c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.status(c.head())).isEqualTo(200);
        c.rest(Duration.ofMillis(400));
      }
    }
  }

  /**
   * A fixture whose reads of several tables (the snapshots) are counted and held until released.
   */
  private DashboardFixture heldReads(AtomicInteger reads, CountDownLatch release) throws Exception {
    fixture =
        new DashboardFixture(
            dir,
            null,
            Duration.ofSeconds(60),
            DashboardServer.Limits.DEFAULT,
            real ->
                new StoreReader() {
                  @Override
                  public Snapshot read(List<String> queries, Map<String, Object> params)
                      throws StoreException {
                    if (queries.size() > 1) {
                      reads.incrementAndGet();
                      try {
                        release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    return real.read(queries, params);
                  }

                  @Override
                  public void close() throws StoreException {
                    real.close();
                  }
                });
    fixture.replay(DashboardFixture.SAMPLE);
    return fixture;
  }

  /** Sends {@code clients} requests of each target at once and releases the reads once all wait. */
  private Map<String, List<String>> atOnce(
      List<String> targets, int clients, CountDownLatch release) throws Exception {
    QueuedThreadPool jetty = (QueuedThreadPool) fixture.server.jetty().getThreadPool();
    // Jetty's selector and acceptor threads count as busy too.
    int busyIdle = jetty.getBusyThreads();
    int all = targets.size() * clients;
    ExecutorService pool = Executors.newFixedThreadPool(all);
    try {
      Map<String, List<Future<String>>> pending = new LinkedHashMap<>();
      for (String target : targets) {
        for (int i = 0; i < clients; i++) {
          pending
              .computeIfAbsent(target, t -> new ArrayList<>())
              .add(pool.submit(() -> get(target, "")));
        }
      }
      LiveStreamTest.await(
          () -> jetty.getBusyThreads() >= busyIdle + all, "every request waiting for its snapshot");
      release.countDown();
      Map<String, List<String>> bodies = new LinkedHashMap<>();
      for (Map.Entry<String, List<Future<String>>> e : pending.entrySet()) {
        for (Future<String> a : e.getValue()) {
          String answer = a.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
          assertThat(RawHttp.status(answer)).as(e.getKey()).isEqualTo(200);
          bodies.computeIfAbsent(e.getKey(), t -> new ArrayList<>()).add(body(answer));
        }
      }
      return bodies;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void identicalReadsAtTheSameTimeShareOneComputation() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    heldReads(reads, release);
    List<String> bodies =
        atOnce(List.of("/api/snapshot?wiki=enwiki"), 20, release).get("/api/snapshot?wiki=enwiki");
    assertThat(bodies).hasSize(20).containsOnly(bodies.get(0));
    // One read for all, give or take a request that had not joined yet when it was released.
    assertThat(reads.get()).isBetween(1, 3);
  }

  @Test
  void readsOfDifferentRangesAreNotShared() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    heldReads(reads, release);
    String hour = "/api/snapshot?wiki=enwiki&range=1h";
    String day = "/api/snapshot?wiki=enwiki&range=24h";
    String fixed = "/api/snapshot?wiki=enwiki&from=2026-05-05T11:00Z&to=2026-05-05T12:00Z";
    Map<String, List<String>> bodies = atOnce(List.of(hour, day, fixed), 6, release);
    assertThat(bodies.get(hour)).hasSize(6).containsOnly(bodies.get(hour).get(0));
    assertThat(bodies.get(day)).hasSize(6).containsOnly(bodies.get(day).get(0));
    assertThat(bodies.get(fixed)).hasSize(6).containsOnly(bodies.get(fixed).get(0));
    assertThat(bodies.get(hour).get(0)).contains("\"preset\":\"1h\"");
    assertThat(bodies.get(day).get(0)).contains("\"preset\":\"24h\"");
    assertThat(bodies.get(fixed).get(0))
        .contains("\"from\":\"2026-05-05T11:00:00Z\"", "\"to\":\"2026-05-05T12:00:00Z\"");
    // One read per range, give or take requests that had not joined yet when released.
    assertThat(reads.get()).isBetween(3, 6);
  }

  private static String body(String answer) {
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }
}
