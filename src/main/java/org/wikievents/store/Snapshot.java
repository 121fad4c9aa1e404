package org.wikievents.store;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Results of several read queries taken from one consistent state of the store.
 *
 * @param asOf the newest event time in the store, the anchor of every relative window; null when
 *     the store is empty
 * @param silverFrom the oldest event time silver holds since retention removed older events: what
 *     the panels that read silver can answer for; null while silver holds everything
 */
public record Snapshot(
    @Nullable Instant asOf, @Nullable Instant silverFrom, Map<String, Table> tables) {
  public Snapshot {
    tables = Map.copyOf(tables);
  }

  /** A snapshot of a store whose silver holds everything. */
  public Snapshot(@Nullable Instant asOf, Map<String, Table> tables) {
    this(asOf, null, tables);
  }

  /** The named table, or null when the snapshot has none by that name. */
  public @Nullable Table table(String name) {
    return tables.get(name);
  }
}
