package org.wikievents.testing;

import java.time.Duration;

/**
 * Waiting for a condition with a deadline: how tests order their steps instead of sleeping. The
 * condition is polled every few milliseconds; a condition that throws counts as not yet met (a port
 * not yet open, a file still locked), and the last such exception is the cause when the deadline
 * passes.
 */
public final class Await {
  /** How long a test waits for anything unless it says otherwise. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final long POLL_MILLIS = 10;

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
      Thread.sleep(POLL_MILLIS);
    }
  }
}
