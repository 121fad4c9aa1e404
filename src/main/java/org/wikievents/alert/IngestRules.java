package org.wikievents.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;

/** The rules on the loader's own state: nothing arriving, and too much of it quarantined. */
final class IngestRules {
  static final String SUBJECT = "ingest";

  private IngestRules() {}

  /**
   * Ingestion failed, or nothing was committed for {@code stale}, or the newest committed event is
   * older than {@code stale} (the feed delivers, but late). Counted from the rule's start until the
   * first commit, so a source that never connects fires too.
   */
  static Rule failing(Supplier<IngestState> state, Duration stale, Clock clock) {
    Instant started = clock.instant();
    return new Rule() {
      @Override
      public String name() {
        return "ingest_failing";
      }

      @Override
      public Map<String, String> breaches() {
        IngestState s = state.get();
        Instant now = clock.instant();
        if (s.phase() == IngestState.Phase.FAILED) {
          return Map.of(SUBJECT, "ingestion stopped: " + s.error());
        }
        Instant commit = s.lastCommit();
        Duration quiet = Duration.between(commit == null ? started : commit, now);
        if (quiet.compareTo(stale) >= 0) {
          return Map.of(
              SUBJECT,
              "no events stored for "
                  + seconds(quiet)
                  + (commit == null ? " since start" : " (last commit " + commit + ")"));
        }
        Loader.Totals t = s.totals();
        if (t != null && t.newestEventTime() >= 0) {
          Duration lag = Duration.between(Instant.ofEpochMilli(t.newestEventTime()), now);
          if (lag.compareTo(stale) >= 0) {
            return Map.of(SUBJECT, "the newest event stored is " + seconds(lag) + " old");
          }
        }
        return Map.of();
      }
    };
  }

  /**
   * More than {@code share} of what arrived in the last {@code window} went to quarantine, once at
   * least {@code minEvents} arrived in it (a handful of bad lines is not an outage).
   */
  static Rule quarantine(
      Supplier<IngestState> state, double share, Duration window, long minEvents, Clock clock) {
    record Sample(Instant at, long received, long quarantined) {}
    Deque<Sample> samples = new ArrayDeque<>();
    return new Rule() {
      @Override
      public String name() {
        return "quarantine_rate";
      }

      @Override
      public Map<String, String> breaches() {
        Loader.Totals t = state.get().totals();
        if (t == null) {
          return Map.of();
        }
        Instant now = clock.instant();
        samples.addLast(new Sample(now, t.received(), t.quarantined()));
        while (samples.size() > 2 && samples.peekFirst().at().isBefore(now.minus(window))) {
          samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long received = t.received() - first.received();
        long quarantined = t.quarantined() - first.quarantined();
        if (received < minEvents || quarantined <= share * received) {
          return Map.of();
        }
        return Map.of(
            "quarantine",
            String.format(
                Locale.ROOT,
                "%d of %d events (%.1f%%) went to quarantine in the last %s",
                quarantined,
                received,
                100.0 * quarantined / received,
                seconds(Duration.between(first.at(), now))));
      }
    };
  }

  private static String seconds(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
  }
}
