package org.wikievents.store;

import java.time.Instant;
import java.util.Map;

/**
 * Results of several read queries taken from one consistent state of the store.
 *
 * @param asOf the newest event time in the store, the anchor of every relative window; null when
 *     the store is empty
 */
public record Snapshot(Instant asOf, Map<String, Table> tables) {
  public Snapshot {
    tables = Map.copyOf(tables);
  }

  public Table table(String name) {
    return tables.get(name);
  }
}
