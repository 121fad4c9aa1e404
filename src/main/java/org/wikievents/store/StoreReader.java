package org.wikievents.store;

import java.util.List;
import java.util.Map;

/**
 * The read side of a store, for the dashboard. Queries are named resources {@code
 * sql/<dialect>/api/<name>.sql} with named parameters ({@code :wiki}); {@code :asof} is always
 * bound to the newest event time, read in the same snapshot. Never writes.
 */
public interface StoreReader extends AutoCloseable {

  /**
   * Runs the named queries in one consistent snapshot.
   *
   * @param params values of the named parameters (null means "no filter"); every parameter a query
   *     names must be present
   */
  Snapshot read(List<String> queries, Map<String, Object> params) throws StoreException;

  @Override
  void close() throws StoreException;
}
