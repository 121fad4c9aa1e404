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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wikievents.event.RawEvent;
import org.wikievents.source.RecordedEventServer.RecordedRequest;
import org.wikievents.source.SseEventSource.SourceException;

/**
 * The live source against a real SSE server on loopback: each test scripts what the server does,
 * runs the source into a recorder, asserts every request and event, then that nothing else came.
 */
class SseEventSourceTest {
  private static final String USER_AGENT =
      "wiki-events/test (https://example.org/wiki-events-tests) okhttp/5";
  private static final Instant T0 = Instant.parse("2026-05-05T11:00:00Z");
  private static final Duration STALL = Duration.ofMillis(300);

  private final EventRecorder recorder = new EventRecorder();
  private RecordedEventServer server;
  private SseEventSource source;
  private Running running;

  @AfterEach
  void tearDown() throws Exception {
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
  }

  @Test
  void presentsItselfWithUserAgentAndAsksForAnEventStream() throws Exception {
    serve(events(3));
    start(null, null);

    assertEvent(recorder.takeEvent(), 0);
    assertEvent(recorder.takeEvent(), 1);
    assertEvent(recorder.takeEvent(), 2);
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo(RecordedEventServer.PATH);
    assertThat(request.header("User-Agent")).isEqualTo(USER_AGENT);
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
    assertThat(request.header("Last-Event-ID")).isNull();
    assertThat(request.queryParameter("since")).isNull();
    recorder.assertNoMoreEvents();
  }

  @Test
  void firstConnectionStartsAtSince() throws Exception {
    serve(events(10));
    String since = T0.plusSeconds(6).toString();
    start(null, since);

    assertEvent(recorder.takeEvent(), 6);
    assertEvent(recorder.takeEvent(), 7);
    assertEvent(recorder.takeEvent(), 8);
    assertEvent(recorder.takeEvent(), 9);
    RecordedRequest request = server.takeRequest();
    assertThat(request.queryParameter("since")).isEqualTo(since);
    assertThat(request.header("Last-Event-ID")).isNull();
    recorder.assertNoMoreEvents();
  }

  @Test
  void resumePointWinsOverSince() throws Exception {
    serve(events(10));
    start(server.idAt(7), T0.toString());

    assertEvent(recorder.takeEvent(), 7);
    assertEvent(recorder.takeEvent(), 8);
    assertEvent(recorder.takeEvent(), 9);
    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Last-Event-ID")).isEqualTo(server.idAt(7));
    assertThat(request.queryParameter("since")).isNull();
    recorder.assertNoMoreEvents();
  }

  @Test
  void reconnectsAfterCleanCutWithLastEventId() throws Exception {
    serve(events(8));
    server.enqueue(cutAfter(3));
    start(null, T0.toString());

    // The resume starts at the last id's timestamp, which includes the last event itself.
    for (int i : new int[] {0, 1, 2, 2, 3, 4, 5, 6, 7}) {
      assertEvent(recorder.takeEvent(), i);
    }
    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Last-Event-ID")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Last-Event-ID")).isEqualTo(server.idAt(2));
    assertThat(second.queryParameter("since")).as("since only starts a stream").isNull();
    assertThat(second.header("User-Agent")).isEqualTo(USER_AGENT);
    recorder.assertNoMoreEvents();
  }

  @Test
  void reconnectsAfterConnectionResetMidEvent() throws Exception {
    serve(events(6));
    server.enqueue(resetAfter(2));
    start(null, null);

    for (int i : new int[] {0, 1, 1, 2, 3, 4, 5}) {
      assertEvent(recorder.takeEvent(), i);
    }
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(1));
    recorder.assertNoMoreEvents();
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

    for (int i : new int[] {0, 1, 2, 3, 2, 3, 4, 5}) {
      assertEvent(recorder.takeEvent(), i);
    }
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(3));
    recorder.assertNoMoreEvents();
  }

  @Test
  void stalledStreamIsReconnectedAfterTheStallTimeout() throws Exception {
    serve(events(5));
    server.enqueue(stallAfter(2));
    start(null, null);

    for (int i : new int[] {0, 1, 1, 2, 3, 4}) {
      assertEvent(recorder.takeEvent(), i);
    }
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    assertThat(second.millisAfter(first)).isGreaterThanOrEqualTo(STALL.toMillis());
    recorder.assertNoMoreEvents();
  }

  @Test
  void tooManyConnectionsWaitsRetryAfterThenResumes() throws Exception {
    assertWaitsRetryAfter(429);
  }

  @Test
  void unavailableWaitsRetryAfterThenResumes() throws Exception {
    assertWaitsRetryAfter(503);
  }

  private void assertWaitsRetryAfter(int status) throws Exception {
    serve(events(4));
    server.enqueue(cutAfter(2));
    server.enqueue(refuse(status, 1));
    start(null, null);

    for (int i : new int[] {0, 1, 1, 2, 3}) {
      assertEvent(recorder.takeEvent(), i);
    }
    server.takeRequest();
    RecordedRequest refused = server.takeRequest();
    assertThat(refused.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    RecordedRequest resumed = server.takeRequest();
    assertThat(resumed.header("Last-Event-ID")).isEqualTo(server.idAt(1));
    // Generous: the clocks are the server's own, only scheduling can shave a little.
    assertThat(resumed.millisAfter(refused)).isGreaterThanOrEqualTo(950);
    recorder.assertNoMoreEvents();
  }

  @Test
  void forbiddenStopsWithOneLineMessageAndNoRetry() throws Exception {
    serve(events(3));
    server.enqueue(refuse(403));
    start(null, null);

    Throwable failure = running.awaitEnd();
    assertThat(failure).isInstanceOf(SourceException.class);
    assertThat(failure.getMessage())
        .contains("HTTP 403")
        .contains("User-Agent")
        .doesNotContain("\n");
    server.takeRequest();
    assertThat(server.requestCount()).as("requests").isEqualTo(1);
    recorder.assertNoMoreEvents();
  }

  @Test
  void unparseableSinceIsRefusedForGood() throws Exception {
    serve(events(3));
    start(null, "yesterday-ish");

    Throwable failure = running.awaitEnd();
    assertThat(failure).isInstanceOf(SourceException.class).hasMessageContaining("HTTP 400");
    assertThat(server.takeRequest().queryParameter("since")).isEqualTo("yesterday-ish");
    assertThat(server.requestCount()).isEqualTo(1);
    recorder.assertNoMoreEvents();
  }

  @Test
  void manyCutsResetsAndStallsNeverOpenTwoConnections() throws Exception {
    serve(events(40));
    for (int i = 0; i < 4; i++) {
      server.enqueue(cutAfter(3));
      server.enqueue(resetAfter(3));
      server.enqueue(stallAfter(3));
    }
    start(null, null);

    // Each scripted connection sends 3 events; the next re-sends the last of them.
    for (int k = 0; k < 12; k++) {
      assertEvent(recorder.takeEvent(), 2 * k);
      assertEvent(recorder.takeEvent(), 2 * k + 1);
      assertEvent(recorder.takeEvent(), 2 * k + 2);
    }
    for (int i = 24; i < 40; i++) {
      assertEvent(recorder.takeEvent(), i);
    }
    assertThat(server.takeRequest().header("Last-Event-ID")).isNull();
    for (int k = 1; k <= 12; k++) {
      assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(server.idAt(2 * k));
    }
    assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    recorder.assertNoMoreEvents();
  }

  @Test
  void closeStopsRunWhileStreaming() throws Exception {
    serve(events(5));
    server.enqueue(stallAfter(5));
    start(null, null, Duration.ofMinutes(1));
    for (int i = 0; i < 5; i++) {
      assertEvent(recorder.takeEvent(), i);
    }

    source.close();

    assertThat(running.awaitEnd()).isNull();
    assertThat(server.requestCount()).isEqualTo(1);
    recorder.assertNoMoreEvents();
  }

  @Test
  void closeStopsRunWhileWaitingOutRetryAfter() throws Exception {
    serve(events(5));
    server.enqueue(refuse(503, 60));
    start(null, null);
    server.takeRequest();
    Thread.sleep(200);

    long start = System.nanoTime();
    source.close();

    assertThat(running.awaitEnd()).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(server.requestCount()).isEqualTo(1);
    recorder.assertNoMoreEvents();
  }

  @Test
  void fullSinkStopsTheReading() throws Exception {
    List<String> lines = RecordedEventServer.sample("recentchange-2026-05-05-multiwiki");
    serve(lines);
    Semaphore room = new Semaphore(10);
    AtomicInteger accepted = new AtomicInteger();
    EventSink slow =
        event -> {
          room.acquire();
          accepted.incrementAndGet();
        };
    source = new SseEventSource(settings(null, null, Duration.ofMinutes(1)));
    running = new Running(source, slow);
    await(() -> accepted.get() == 10);

    long written = server.eventsWritten();
    for (long before = -1; written != before; written = server.eventsWritten()) {
      before = written;
      Thread.sleep(300);
    }

    assertThat(accepted.get()).isEqualTo(10);
    assertThat(source.eventsRead()).isEqualTo(10);
    assertThat(written)
        .as("events the server could write into the socket buffers")
        .isLessThan(lines.size() / 2);
    room.release(lines.size());
    await(() -> accepted.get() == lines.size());
    assertThat(server.requestCount()).isEqualTo(1);
  }

  private void serve(List<String> lines) throws Exception {
    server = RecordedEventServer.start(lines);
  }

  private void start(String lastEventId, String since) {
    start(lastEventId, since, STALL);
  }

  private void start(String lastEventId, String since, Duration stallTimeout) {
    source = new SseEventSource(settings(lastEventId, since, stallTimeout));
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

  private void assertEvent(RawEvent event, int position) {
    assertThat(event.stream()).isEqualTo("recentchange");
    assertThat(event.sseId()).isEqualTo(server.idAt(position));
    assertThat(event.data()).contains(String.format("\"title\":\"Page %d\"", position));
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

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
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
