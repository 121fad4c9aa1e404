package org.wikievents.store;

import org.wikievents.event.ParseResult;

/**
 * One open batch of a store: events are streamed into it (so a large batch costs no heap) and
 * become visible together on {@link #commit}. Closing without committing discards them.
 */
public interface BatchWriter extends AutoCloseable {

  void add(ParseResult event) throws StoreException;

  /** Commits everything added, with the newest SSE id per live stream as its resume point. */
  WriteResult commit() throws StoreException;

  /** Rolls back unless committed. */
  @Override
  void close() throws StoreException;
}
