package org.wikievents.store.clickhouse;

import java.time.Duration;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;

/** The way into a ClickHouse store; everything behind it stays in this package. */
public final class ClickHouse {
  private ClickHouse() {}

  /**
   * Opens the store for writing, creating its tables if missing; {@code cluster}: replicated tables
   * behind Distributed ones, created ON CLUSTER.
   */
  public static EventStore open(ClickHouseUrl url, boolean cluster, Duration rawRetention)
      throws StoreException {
    return ClickHouseStore.open(
        url,
        cluster ? ClickHouseStore.Layout.CLUSTER : ClickHouseStore.Layout.SINGLE,
        rawRetention);
  }

  /** A read-only view for the dashboard; never creates tables. */
  public static StoreReader openReader(ClickHouseUrl url) throws StoreException {
    return ClickHouseReader.open(url);
  }
}
