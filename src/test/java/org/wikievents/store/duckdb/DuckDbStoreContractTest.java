package org.wikievents.store.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreContract;
import org.wikievents.testing.StoreTables;
import org.wikievents.testing.StoreTables.GoldTables;

/** The store contract on a real DuckDB file. */
class DuckDbStoreContractTest extends StoreContract {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("store.duckdb");
  }

  @Override
  protected EventStore open(Duration rawRetention) throws Exception {
    return DuckDbStore.open(db());
  }

  @Override
  protected Tables tables() throws Exception {
    StoreTables t = StoreTables.open(db());
    return new Tables() {
      @Override
      public long rows(String table) throws Exception {
        return t.count("SELECT count(*) FROM " + table);
      }

      @Override
      public Set<String> eventIds() throws Exception {
        return t.strings("SELECT event_id::VARCHAR FROM wiki");
      }

      @Override
      public Set<String> rawData() throws Exception {
        return t.strings("SELECT data FROM wiki_raw");
      }

      @Override
      public Set<String> titles() throws Exception {
        return t.strings("SELECT title FROM wiki");
      }

      @Override
      public List<String> quarantineReasons() throws Exception {
        return t.rows("SELECT split_part(reason, ':', 1) FROM wiki_quarantine ORDER BY 1").stream()
            .map(row -> row.get(0))
            .toList();
      }

      @Override
      public GoldTables gold() throws Exception {
        return t.gold();
      }

      @Override
      public void close() throws Exception {
        t.close();
      }
    };
  }
}
