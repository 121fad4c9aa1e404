package org.wikievents.testing;

import java.time.Duration;

/**
 * Waiting for a condition with a deadline: how tests order their steps instead of sleeping. The
 * condition is polled, first every 10 ms and then less often up to every 100 ms, so that a long
 * wait does not load a busy machine (or the server being polled); a condition that throws counts as
 * not yet met (a port not yet open, a file still locked), and the last such exception is the cause
 * when the deadline passes.
 */
public final class Await {
  /** How long a test waits for anything unless it says otherwise. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final long FIRST_POLL_MILLIS = 10;
  private static final long MAX_POLL_MILLIS = 100;

  private Await() {}

  /** A check that may fail while the thing it looks at is not ready. */
  @FunctionalInterface
  public interface Condition {
    boolean met() throws Exception;
  }

  /** Waits up to {@link #DEADLINE} until {@code condition} holds. */
  public static void until(String what, Condition condition) throws InterruptedException {
    until(what, DEADLINE, condition);
  }

  /** Waits up to {@code deadline} until {@code condition} holds; fails naming {@code what}. */
  public static void until(String what, Duration deadline, Condition condition)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    long poll = FIRST_POLL_MILLIS;
    while (true) {
      try {
        if (condition.met()) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not within " + deadline + ": " + what, last);
      }
      // The poll interval of the wait, not a step of the test.
      Thread.sleep(poll);
      poll = Math.min(MAX_POLL_MILLIS, poll * 2);
    }
  }

  /**
   * Checks that {@code condition} holds throughout {@code window}, failing as soon as it does not:
   * for what must not happen (a log line, a message), which only a window of watching can show.
   */
  public static void during(String what, Duration window, Condition condition) throws Exception {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!condition.met()) {
        throw new AssertionError("within " + window + ", not " + what);
      }
      // The poll interval of the watch, not a step of the test.
      Thread.sleep(FIRST_POLL_MILLIS);
    } while (System.nanoTime() - end < 0);
  }
}
