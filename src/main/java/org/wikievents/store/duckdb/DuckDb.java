package org.wikievents.store.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;

/** The way into a DuckDB store file; everything behind it stays in this package. */
public final class DuckDb {
  /** The dialect of this engine's statements under {@code sql/}. */
  public static final String DIALECT = DuckDbStore.DIALECT;

  private DuckDb() {}

  /** Opens the store for writing, creating the file and its tables if missing. */
  public static EventStore open(Path file) throws StoreException {
    return DuckDbStore.open(file);
  }

  /**
   * Opens the store for writing; with {@code parquetCopy} it keeps a Parquet copy of each closed
   * hour of silver beside the file, which other tools read while it writes.
   */
  public static EventStore open(Path file, boolean parquetCopy) throws StoreException {
    return DuckDbStore.open(file, parquetCopy);
  }

  /** A read-only view for the dashboard; never creates tables. */
  public static StoreReader openReader(Path file) throws StoreException {
    return DuckDbReader.openReadOnly(file);
  }

  /** A read-only JDBC connection, for ad-hoc SQL over the tables. */
  public static Connection openReadOnly(Path file) throws StoreException {
    return DuckDbStore.openReadOnly(file);
  }
}
