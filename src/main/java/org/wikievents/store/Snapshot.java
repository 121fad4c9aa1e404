package org.wikievents.store;

import java.time.Instant;
import java.util.Map;

/**
 * Results of several read queries taken from one consistent state of the store.
 *
 * @param asOf the newest event time in the store, the anchor of every relative window; null when
 *     the store is empty
 * @param silverFrom the oldest event time silver holds since retention removed older events: what
 *     the panels that read silver can answer for; null while silver holds everything
 */
public record Snapshot(Instant asOf, Instant silverFrom, Map<String, Table> tables) {
  public Snapshot {
    tables = Map.copyOf(tables);
  }

  /** A snapshot of a store whose silver holds everything. */
  public Snapshot(Instant asOf, Map<String, Table> tables) {
    this(asOf, null, tables);
  }

  public Table table(String name) {
    return tables.get(name);
  }
}
