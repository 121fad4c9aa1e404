package org.wikievents.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.wikievents.event.ParseResult;

/**
 * Where events are kept: DuckDB on one machine, ClickHouse on servers. A batch is committed whole
 * (bronze, silver, gold, quarantine and resume point) or not at all, and an event id already stored
 * is never counted again.
 */
public interface EventStore extends AutoCloseable {

  /** Opens a batch; one at a time per store. */
  BatchWriter begin() throws StoreException;

  /** Commits a whole list as one batch. */
  default WriteResult write(List<ParseResult> batch) throws StoreException {
    try (BatchWriter w = begin()) {
      for (ParseResult r : batch) {
        w.add(r);
      }
      return w.commit();
    }
  }

  /** The committed SSE id to resume the stream from, if any. */
  Optional<String> checkpoint(String stream) throws StoreException;

  /** A reader over the same store for the dashboard, with its own connection. */
  StoreReader reader() throws StoreException;

  /** Deletes bronze rows ingested before {@code cutoff}; returns how many. */
  long expireRaw(Instant cutoff) throws StoreException;

  /**
   * Deletes silver and per-minute gold older than the retention before the newest event time, in
   * short transactions, until done or {@code budget} has passed; gold is left as it is.
   */
  Expired expire(Retention retention, java.time.Duration budget) throws StoreException;

  /**
   * Keeps a fired or cleared alert in {@code wiki_alerts}. Called from the alerting thread while a
   * batch may be open: it must not wait for the batch, nor join its transaction.
   */
  void recordAlert(Alert alert) throws StoreException;

  /**
   * Called after each commit with the newest event time committed so far: writes what that commit
   * made due (DuckDB with Parquet copies: the copies of an hour or day that just closed), within
   * about {@code budget} (at least one hour's copies); what is left goes on at the next call. Costs
   * nothing when nothing is due, so it may follow every commit.
   */
  default void copyClosed(Instant newest, java.time.Duration budget) throws StoreException {}

  /** Periodic upkeep between batches (DuckDB folds its write-ahead log into the file). */
  default void maintain() throws StoreException {}

  @Override
  void close() throws StoreException;
}
