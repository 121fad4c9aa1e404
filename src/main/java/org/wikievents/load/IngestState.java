package org.wikievents.load;

import java.time.Instant;

/**
 * What ingestion is doing, for {@code /health}: a dashboard with no loader ({@link Phase#NONE}), a
 * loader not started yet, or a loader's phase and totals; and the live feed's state when there is
 * one.
 *
 * @param detail why there is no ingestion here, or null
 * @param error what stopped a failed loader, or null
 * @param totals what the loader did so far; null before it started or when there is none
 * @param feed the live feed, or null (a replay, a dashboard)
 */
public record IngestState(
    Phase phase, String detail, String error, Loader.Totals totals, Feed feed) {
  public static final IngestState STARTING = new IngestState(Phase.STARTING, null, null, null);

  public IngestState(Phase phase, String detail, String error, Loader.Totals totals) {
    this(phase, detail, error, totals, null);
  }

  /**
   * The live feed: {@code state} is connecting, connected, retrying, refused or stopped; {@code
   * healthy} is false once it failed or went silent for longer than allowed.
   *
   * @param failingSince the first failed connect since the last success, or null
   * @param lastEvent when the newest event arrived, or null
   */
  public record Feed(
      String state,
      Instant since,
      Instant failingSince,
      String lastError,
      Instant lastEvent,
      boolean healthy) {}

  public IngestState withFeed(Feed f) {
    return new IngestState(phase, detail, error, totals, f);
  }

  /** False (so /health answers 503) when loading failed or the feed is unhealthy. */
  public boolean healthy() {
    return phase != Phase.FAILED && (feed == null || feed.healthy());
  }

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
