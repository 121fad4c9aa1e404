package org.wikievents.store;

import java.time.Duration;

/**
 * How long silver and per-minute gold are kept, counted back from the newest event time in the
 * store (so a replay of an old recording keeps its data). Zero keeps forever. Hourly and daily gold
 * are always kept; bronze has its own retention, by ingest time.
 */
public record Retention(Duration silver, Duration minutely) {
  public static final Retention FOREVER = new Retention(Duration.ZERO, Duration.ZERO);

  public Retention {
    if (silver.isNegative() || minutely.isNegative()) {
      throw new IllegalArgumentException("a retention cannot be negative");
    }
  }

  public static Retention defaults() {
    return new Retention(Duration.ofDays(30), Duration.ofDays(7));
  }
}
