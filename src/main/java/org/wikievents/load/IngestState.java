package org.wikievents.load;

import java.time.Instant;

/**
 * What ingestion is doing, for {@code /health}: a dashboard with no loader ({@link Phase#NONE}), a
 * loader not started yet, or a loader's phase and totals.
 *
 * @param detail why there is no ingestion here, or null
 * @param error what stopped a failed loader, or null
 * @param totals what the loader did so far; null before it started or when there is none
 */
public record IngestState(Phase phase, String detail, String error, Loader.Totals totals) {
  public static final IngestState STARTING = new IngestState(Phase.STARTING, null, null, null);

  public enum Phase {
    NONE,
    STARTING,
    RUNNING,
    FAILED,
    FINISHED
  }

  /** No ingestion in this process, and why. */
  public static IngestState none(String detail) {
    return new IngestState(Phase.NONE, detail, null, null);
  }

  /** The newest commit, or null before the first. */
  public Instant lastCommit() {
    return totals == null || totals.lastCommit() < 0
        ? null
        : Instant.ofEpochMilli(totals.lastCommit());
  }
}
