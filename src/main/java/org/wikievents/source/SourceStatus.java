package org.wikievents.source;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live source is doing, for {@code /health} and the log: each change of state is logged
 * once (a feed down for an hour is one line, not one per attempt).
 *
 * <p>Not final only so that the tests in this package can record each change as it is made; the
 * constructor is package-private, so nothing outside can extend it.
 */
public class SourceStatus {
  private static final Logger log = LoggerFactory.getLogger(SseEventSource.class);

  /** The states of a live source. */
  public enum State {
    CONNECTING,
    CONNECTED,
    RETRYING,
    REFUSED,
    STOPPED
  }

  /**
   * When /health turns 503.
   *
   * @param maxRetrying how long connecting may fail in a row
   * @param maxSilence how long a connected source may go without an event
   */
  public record Thresholds(Duration maxRetrying, Duration maxSilence) {
    public static final Thresholds DEFAULT =
        new Thresholds(Duration.ofMinutes(2), Duration.ofMinutes(5));
  }

  private record View(State state, Instant since, Instant failingSince, String lastError) {}

  private final Supplier<Instant> clock;
  private volatile View view;
  private volatile Instant lastEvent;
  private final Instant started;

  SourceStatus(Supplier<Instant> clock) {
    this.clock = clock;
    this.started = clock.get();
    this.view = new View(State.CONNECTING, started, null, null);
  }

  synchronized void connected(String message) {
    log.info(message);
    view = new View(State.CONNECTED, clock.get(), null, null);
  }

  /** The connection ended or could not be made; a first failure starts the failing clock. */
  synchronized void retrying(String error, long delayMillis) {
    View v = view;
    Instant now = clock.get();
    if (v.state == State.RETRYING) {
      log.debug("{}; retrying in {} ms", error, delayMillis);
    } else {
      log.warn("{}; retrying in {} ms", error, delayMillis);
    }
    view =
        new View(
            State.RETRYING,
            v.state == State.RETRYING ? v.since : now,
            v.failingSince == null ? now : v.failingSince,
            error);
  }

  /** A routine end (the server's 15-minute cut, a stall): reconnecting at once. */
  synchronized void cut(String message) {
    log.info(message);
    view = new View(State.CONNECTING, clock.get(), view.failingSince, view.lastError);
  }

  synchronized void refused(String error) {
    view = new View(State.REFUSED, clock.get(), view.failingSince, error);
  }

  synchronized void stoppedUnlessRefused() {
    if (view.state != State.REFUSED) {
      view = new View(State.STOPPED, clock.get(), null, view.lastError);
    }
  }

  void event() {
    lastEvent = clock.get();
  }

  public State state() {
    return view.state;
  }

  /** Whether /health should say the source is failing. */
  public boolean healthy(Thresholds t) {
    View v = view;
    Instant now = clock.get();
    if (v.state == State.REFUSED) {
      return false;
    }
    if (v.failingSince != null
        && Duration.between(v.failingSince, now).compareTo(t.maxRetrying()) > 0) {
      return false;
    }
    Instant newest = lastEvent != null ? lastEvent : started;
    return v.state == State.STOPPED || Duration.between(newest, now).compareTo(t.maxSilence()) <= 0;
  }

  /** What /health tells about the feed. */
  public record Report(
      State state,
      Instant since,
      Instant failingSince,
      String lastError,
      Instant lastEvent,
      boolean healthy) {}

  public Report report(Thresholds t) {
    View v = view;
    return new Report(v.state, v.since, v.failingSince, v.lastError, lastEvent, healthy(t));
  }
}
