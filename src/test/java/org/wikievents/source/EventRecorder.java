package org.wikievents.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wikievents.event.RawEvent;

/**
 * Records everything a live source reports, in the order it reports it, for asserting one thing at
 * a time (as OkHttp's {@code EventSourceRecorder}): each connection opened, each event delivered,
 * each routine end (the server's cut, a stall), each failure it will retry, a refusal for good and
 * the stop. It is the source's sink and, through {@link #status()}, its status; both are called on
 * the reading thread, so one queue holds their true order. A test asserts each record in turn and
 * ends with {@link #assertExhausted()}.
 */
final class EventRecorder implements EventSink {
  private static final long TAKE_SECONDS = 10;

  /** One thing the source reported. */
  sealed interface Record {}

  /** Connected: the response was a 200 and events may follow. */
  record Open(String message) implements Record {}

  /** One event handed to the sink. */
  record Event(RawEvent event) implements Record {}

  /** A routine end of a connection (the server's cut, a stall): reconnecting. */
  record Close(String message) implements Record {}

  /** The connection failed or was refused for now: retrying after {@code delayMillis}. */
  record Failure(String error, long delayMillis) implements Record {}

  /** Refused for good: the source stops with this error. */
  record Refused(String error) implements Record {}

  /** run() is ending (closed, or after a refusal). */
  record Stopped() implements Record {}

  private final BlockingQueue<Record> records = new LinkedBlockingQueue<>();
  private final SourceStatus status = new RecordingStatus();

  /** The status to give the source, so that its changes are recorded with the events. */
  SourceStatus status() {
    return status;
  }

  @Override
  public void put(RawEvent event) {
    records.add(new Event(event));
  }

  /** The next record is an event; returns it. */
  RawEvent assertEvent() throws InterruptedException {
    return next(Event.class).event();
  }

  /** The next record is a connection opened; returns its log line. */
  String assertOpen() throws InterruptedException {
    return next(Open.class).message();
  }

  /** The next record is a routine end of a connection whose log line contains {@code text}. */
  void assertClose(String text) throws InterruptedException {
    assertThat(next(Close.class).message()).contains(text);
  }

  /** The next record is a failure to be retried whose error contains {@code text}. */
  Failure assertFailure(String text) throws InterruptedException {
    Failure f = next(Failure.class);
    assertThat(f.error()).contains(text);
    return f;
  }

  /** The next record is a refusal for good whose error contains {@code text}. */
  String assertRefused(String text) throws InterruptedException {
    String error = next(Refused.class).error();
    assertThat(error).contains(text);
    return error;
  }

  /** The next record is the stop. */
  void assertStopped() throws InterruptedException {
    next(Stopped.class);
  }

  /** Nothing was reported that the test did not assert. */
  void assertExhausted() {
    assertThat(records).as("records nobody asserted").isEmpty();
  }

  private <T extends Record> T next(Class<T> type) throws InterruptedException {
    Record r = records.poll(TAKE_SECONDS, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError(
          "no " + type.getSimpleName() + " within " + TAKE_SECONDS + " s: nothing was reported");
    }
    assertThat(r).as("the next thing the source reported").isInstanceOf(type);
    return type.cast(r);
  }

  /** The real status, which also records each change the source makes to it. */
  private final class RecordingStatus extends SourceStatus {
    RecordingStatus() {
      super(Instant::now);
    }

    @Override
    synchronized void connected(String message) {
      super.connected(message);
      records.add(new Open(message));
    }

    @Override
    synchronized void retrying(String error, long delayMillis) {
      super.retrying(error, delayMillis);
      records.add(new Failure(error, delayMillis));
    }

    @Override
    synchronized void cut(String message) {
      super.cut(message);
      records.add(new Close(message));
    }

    @Override
    synchronized void refused(String error) {
      super.refused(error);
      records.add(new Refused(error));
    }

    @Override
    synchronized void stoppedUnlessRefused() {
      super.stoppedUnlessRefused();
      if (state() == State.STOPPED) {
        records.add(new Stopped());
      }
    }
  }
}
