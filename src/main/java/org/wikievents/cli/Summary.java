package org.wikievents.cli;

import java.util.Locale;
import org.wikievents.load.Loader;

/** The one-line account of what a run did. */
final class Summary {
  private Summary() {}

  static String of(Loader.Totals t, long elapsedNanos) {
    String base =
        String.format(
            Locale.ROOT,
            "read %,d, stored %,d, duplicates %,d, quarantined %,d, canaries %,d",
            t.received(),
            t.stored(),
            t.duplicates(),
            t.quarantined(),
            t.canaries());
    if (elapsedNanos <= 0) {
      return base;
    }
    double seconds = elapsedNanos / 1e9;
    return base
        + String.format(
            Locale.ROOT,
            " in %.1f s (%,.0f events/s)",
            seconds,
            t.received() / Math.max(seconds, 1e-9));
  }
}
