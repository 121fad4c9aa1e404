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

  /** Commits one batch; the newest SSE id per live stream becomes its resume point. */
  WriteResult write(List<ParseResult> batch) throws StoreException;

  /** The committed SSE id to resume the stream from, if any. */
  Optional<String> checkpoint(String stream) throws StoreException;

  /** Deletes bronze rows ingested before {@code cutoff}; returns how many. */
  long expireRaw(Instant cutoff) throws StoreException;

  @Override
  void close() throws StoreException;
}
