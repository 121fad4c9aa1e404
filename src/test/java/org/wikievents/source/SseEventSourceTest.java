package org.wikievents.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikievents.source.RecordedEventServer.Behaviour.cutAfter;
import static org.wikievents.source.RecordedEventServer.Behaviour.refuse;
import static org.wikievents.source.RecordedEventServer.Behaviour.resetAfter;
import static org.wikievents.source.RecordedEventServer.Behaviour.stallAfter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.event.RawEvent;
import org.wikievents.source.EventRecorder.Failure;
import org.wikievents.source.RecordedEventServer.RecordedRequest;
import org.wikievents.source.SseEventSource.SourceException;
import org.wikievents.testing.Await;

/**
 * The live source against a real SSE server on loopback: each test scripts what the server does,
 * runs the source into a recorder, and asserts in order everything the source reported (each
 * connection opened, each event, each cut, failure or refusal, the stop) and every request the
 * server saw. {@link #tearDown} checks in one place that nothing else was reported.
 */
class SseEventSourceTest {
  private static final String USER_AGENT =
      "wiki-events/test (https://example.org/wiki-events-tests) okhttp/5";
  private static final Instant T0 = Instant.parse("2026-05-05T11:00:00Z");

  /** The read watchdog in the tests about stalls. */
  private static final Duration STALL = Duration.ofSeconds(1);

  /** A watchdog that never fires during a test: a quiet stream stays connected. */
  private static final Duration NO_STALL = Duration.ofMinutes(1);

  private final EventRecorder recorder = new EventRecorder();
  private RecordedEventServer server;
  private SseEventSource source;
  private Running running;

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (source != null) {
        source.close();
      }
      if (running != null) {
        running.awaitEnd();
      }
      if (server != null) {
        assertThat(server.maxConcurrentConnections()).as("connections open at once").isLessThan(2);
        server.close();
      }
    } finally {
      recorder.assertExhausted();
    }
  }

  @Test
  void presentsItselfWithUserAgentAndAsksForAnEventStream() throws Exception {
    serve(events(3));
    start(null, null);

    assertThat(recorder.assertOpen()).isEqualTo("connected to " + server.url());
    assertEvents(0, 1, 2);
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo(RecordedEventServer.PATH);
    assertThat(request.header("User-Agent")).isEqualTo(USER_AGENT);
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
    assertThat(request.header("Last-Event-ID")).isNull();
    assertThat(request.queryParameter("since")).isNull();
    stop();
  }

  @Test
  void firstConnectionStartsAtSince() throws Exception {
    serve(events(10));
    String since = T0.plusSeconds(6).toString();
    start(null, since);

    recorder.assertOpen();
    assertEvents(6, 7, 8, 9);
    RecordedRequest request = server.takeRequest();
    assertThat(request.queryParameter("since")).isEqualTo(since);
    assertThat(request.header("Last-Event-ID")).isNull();
    stop();
  }

  @Test
  void resumePointWinsOverSince() throws Exception {
    serve(events(10));
    start(server.idAt(7), T0.toString());

    assertThat(recorder.assertOpen()).contains("(resuming after " + server.idAt(7) + ")");
    assertEvents(7, 8, 9);
    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Last-Event-ID")).isEqualTo(server.idAt(7));
    assertThat(request.queryParameter("since")).isNull();
    stop();
  }

  @Test
  void reconnectsAfterCleanCutWithLastEventId() throws Exception {
    serve(events(8));
    server.enqueue(cutAfter(3));
    start(null, T0.toString());

    recorder.assertOpen();
    assertEvents(0, 1, 2);
    recorder.assertClose("cut by the server after 3 events; reconnecting");
    // The resume starts at the last id's timestamp, which includes the last event itself.
    assertThat(recorder.assertOpen()).contains("(resuming after " + server.idAt(2) + ")");
    assertEvents(2, 3, 4, 5, 6, 7);
    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Last-Event-ID")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Last-Event-ID")).isEqualTo(server.idAt(2));
    assertThat(second.queryParameter("since")).as("since only starts a stream").isNull();
    assertThat(second.header("User-Agent")).isEqualTo(USER_AGENT);
    stop();
  }

  @Test
  void reconnectsAfterConnectionResetMidEvent() throws Exception {
    serve(events(6));
    server.enqueue(resetAfter(2));
    start(null, null);

    recorder.assertOpen();
    assertEvents(0, 1);
    recorder.assertFailure("broke after 2 events");
    recorder.assertOpen();
    assertEvents(1, 2, 3, 4, 5);
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(1));
    stop();
  }

  @Test
  void resumeResendsEventsThatShareTheLastTimestamp() throws Exception {
    // Whole-second times, as in 2018: positions 2, 3 and 4 share one timestamp.
    List<String> lines = new ArrayList<>();
    int[] seconds = {0, 1, 2, 2, 2, 3};
    for (int i = 0; i < seconds.length; i++) {
      lines.add(event(i, T0.plusSeconds(seconds[i])));
    }
    serve(lines);
    server.enqueue(cutAfter(4));
    start(null, null);

    recorder.assertOpen();
    assertEvents(0, 1, 2, 3);
    recorder.assertClose("cut by the server after 4 events");
    recorder.assertOpen();
    assertEvents(2, 3, 4, 5);
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(3));
    stop();
  }

  @Test
  void stalledStreamIsReconnectedAfterTheStallTimeout() throws Exception {
    serve(events(5));
    server.enqueue(stallAfter(2));
    start(null, null, STALL);

    recorder.assertOpen();
    assertEvents(0, 1);
    recorder.assertClose("stalled: nothing for 1 s after 2 events; reconnecting");
    recorder.assertOpen();
    assertEvents(1, 2, 3, 4);
    // Stopped before the quiet end of the recording stalls too.
    stop();
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    assertThat(second.millisAfter(first)).isGreaterThanOrEqualTo(STALL.toMillis());
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 503})
  void refusalForNowWaitsRetryAfterThenResumes(int status) throws Exception {
    serve(events(4));
    server.enqueue(cutAfter(2));
    server.enqueue(refuse(status, 1));
    start(null, null);

    recorder.assertOpen();
    assertEvents(0, 1);
    recorder.assertClose("cut by the server after 2 events");
    Failure refused = recorder.assertFailure("answered HTTP " + status);
    assertThat(refused.delayMillis()).as("Retry-After: 1").isEqualTo(1000);
    recorder.assertOpen();
    assertEvents(1, 2, 3);
    stop();
    server.takeRequest();
    RecordedRequest refusedRequest = server.takeRequest();
    assertThat(refusedRequest.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    RecordedRequest resumed = server.takeRequest();
    assertThat(resumed.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    // Generous: the clocks are the server's own, only scheduling can shave a little.
    assertThat(resumed.millisAfter(refusedRequest)).isGreaterThanOrEqualTo(950);
  }

  @Test
  void forbiddenStopsWithOneLineMessageAndNoRetry() throws Exception {
    serve(events(3));
    server.enqueue(refuse(403));
    start(null, null);

    String error = recorder.assertRefused("HTTP 403");
    assertThat(error).contains("User-Agent").doesNotContain("\n");
    Throwable failure = running.awaitEnd();
    assertThat(failure).isInstanceOf(SourceException.class).hasMessage(error);
    assertThat(source.status().state()).isEqualTo(SourceStatus.State.REFUSED);
    server.takeRequest();
    assertThat(server.requestCount()).as("requests").isEqualTo(1);
  }

  @Test
  void unparseableSinceIsRefusedForGood() throws Exception {
    serve(events(3));
    start(null, "yesterday-ish");

    recorder.assertRefused("HTTP 400");
    assertThat(running.awaitEnd()).isInstanceOf(SourceException.class);
    assertThat(server.takeRequest().queryParameter("since")).isEqualTo("yesterday-ish");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void manyCutsResetsAndStallsNeverOpenTwoConnections() throws Exception {
    serve(events(40));
    for (int i = 0; i < 4; i++) {
      server.enqueue(cutAfter(3));
      server.enqueue(resetAfter(3));
      server.enqueue(stallAfter(3));
    }
    start(null, null, STALL);

    // Each scripted connection sends 3 events; the next re-sends the last of them.
    for (int k = 0; k < 12; k++) {
      recorder.assertOpen();
      assertEvents(2 * k, 2 * k + 1, 2 * k + 2);
      switch (k % 3) {
        case 0 -> recorder.assertClose("cut by the server after 3 events");
        case 1 -> recorder.assertFailure("broke after 3 events");
        default -> recorder.assertClose("stalled");
      }
    }
    recorder.assertOpen();
    for (int i = 24; i < 40; i++) {
      assertEvents(i);
    }
    stop();
    assertThat(server.takeRequest().header("Last-Event-ID")).isNull();
    for (int k = 1; k <= 12; k++) {
      assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(2 * k));
    }
    assertThat(server.maxConcurrentConnections()).isEqualTo(1);
  }

  @Test
  void closeStopsRunWhileStreaming() throws Exception {
    serve(events(5));
    server.enqueue(stallAfter(5));
    start(null, null);
    recorder.assertOpen();
    assertEvents(0, 1, 2, 3, 4);

    stop();

    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void closeStopsRunWhileWaitingOutRetryAfter() throws Exception {
    serve(events(5));
    server.enqueue(refuse(503, 60));
    start(null, null);
    assertThat(recorder.assertFailure("answered HTTP 503").delayMillis()).isEqualTo(60_000);

    // Ends within Running's 5 s, not after the minute the server asked for.
    stop();

    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void fullSinkStopsTheReading() throws Exception {
    List<String> lines = RecordedEventServer.sample("recentchange-2026-05-05-multiwiki");
    serve(lines);
    Semaphore room = new Semaphore(10);
    source = new SseEventSource(settings(null, null, NO_STALL), recorder.status());
    running =
        new Running(
            source,
            event -> {
              room.acquire();
              recorder.put(event);
            });
    recorder.assertOpen();
    for (int i = 0; i < 10; i++) {
      assertThat(recorder.assertEvent().sseId()).isEqualTo(server.idAt(i));
    }

    Await.until(
        "the server cannot write any more", () -> server.writeBlockedFor(Duration.ofMillis(500)));

    recorder.assertExhausted();
    assertThat(source.eventsRead()).isEqualTo(10);
    assertThat(server.eventsWritten())
        .as("events the server could write into the socket buffers")
        .isLessThan(lines.size() / 2);
    room.release(lines.size());
    for (int i = 10; i < lines.size(); i++) {
      assertThat(recorder.assertEvent().sseId()).isEqualTo(server.idAt(i));
    }
    stop();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  /** Closes the source as the pipeline does on shutdown: run() ends normally and reports it. */
  private void stop() throws InterruptedException {
    source.close();
    recorder.assertStopped();
    assertThat(running.awaitEnd()).isNull();
    assertThat(source.status().state()).isEqualTo(SourceStatus.State.STOPPED);
  }

  private void assertEvents(int... positions) throws InterruptedException {
    for (int position : positions) {
      RawEvent event = recorder.assertEvent();
      assertThat(event.stream()).isEqualTo("recentchange");
      assertThat(event.sseId()).isEqualTo(server.idAt(position));
      assertThat(event.data()).contains(String.format("\"title\":\"Page %d\"", position));
    }
  }

  private void serve(List<String> lines) throws Exception {
    server = RecordedEventServer.start(lines);
  }

  private void start(String lastEventId, String since) {
    start(lastEventId, since, NO_STALL);
  }

  private void start(String lastEventId, String since, Duration stallTimeout) {
    source = new SseEventSource(settings(lastEventId, since, stallTimeout), recorder.status());
    running = new Running(source, recorder);
  }

  private SseSettings settings(String lastEventId, String since, Duration stallTimeout) {
    return new SseSettings(
        server.url(),
        "recentchange",
        USER_AGENT,
        lastEventId,
        since,
        stallTimeout,
        Duration.ofMillis(20),
        Duration.ofMillis(200));
  }

  /** Events 0..n-1, one second apart, each with a distinct meta.id and title "Page i". */
  static List<String> events(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(i, T0.plusSeconds(i)));
    }
    return out;
  }

  static String event(int i, Instant dt) {
    return String.format(
        "{\"meta\":{\"id\":\"00000000-0000-4000-8000-%012d\",\"dt\":\"%s\","
            + "\"domain\":\"en.wikipedia.org\"},\"type\":\"edit\",\"wiki\":\"enwiki\","
            + "\"title\":\"Page %d\",\"user\":\"Tester\",\"namespace\":0}",
        i, dt, i);
  }

  /** {@link EventSource#run} on its own thread, as the pipeline runs it. */
  static final class Running {
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;

    Running(EventSource source, EventSink sink) {
      thread =
          new Thread(
              () -> {
                try {
                  source.run(sink);
                } catch (Throwable t) {
                  failure = t;
                } finally {
                  ended.countDown();
                }
              },
              "source-under-test");
      thread.start();
    }

    /** Waits for run() to return (fails after 5 s); its exception, or null. */
    Throwable awaitEnd() throws InterruptedException {
      if (!ended.await(5, TimeUnit.SECONDS)) {
        thread.interrupt();
        throw new AssertionError("run() did not return within 5 s");
      }
      return failure;
    }
  }
}
