package org.wikievents.event;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait between attempts of every retry loop (the live stream, the broker, alert webhooks):
 * doubling from a minimum up to a maximum, starting over at {@link #reset}. Not thread-safe: one
 * per loop.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final boolean jitter;
  private int failures;

  private Backoff(Duration min, Duration max, boolean jitter) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.jitter = jitter;
  }

  /**
   * With "equal jitter": half of each wait fixed so it keeps growing, half random, so many clients
   * that lost one server do not return at once.
   */
  public static Backoff jittered(Duration min, Duration max) {
    return new Backoff(min, max, true);
  }

  /** Exactly {@code min}, twice that, four times … up to {@code max}: waits a user can predict. */
  public static Backoff doubling(Duration min, Duration max) {
    return new Backoff(min, max, false);
  }

  /** The delay before the next attempt; each call without {@link #reset} doubles the ceiling. */
  public long nextMillis() {
    long ceiling = Math.min(maxMillis, minMillis << Math.min(failures, 30));
    failures++;
    return jitter ? ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1) : ceiling;
  }

  public void reset() {
    failures = 0;
  }
}
