package org.wikievents.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, so many clients that lost the server do not return at once. */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private int failures;

  Backoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
  }

  /** The delay before the next attempt; each call without {@link #reset} doubles the ceiling. */
  long nextMillis() {
    long ceiling = Math.min(maxMillis, minMillis << Math.min(failures, 30));
    failures++;
    // "Equal jitter": half fixed so the delay keeps growing, half random to spread clients.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  void reset() {
    failures = 0;
  }
}
