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

  /**
   * What DuckDB may use: {@code memoryLimit} as DuckDB spells it (e.g. {@code 1GB}), and worker
   * threads; the limits of the methods that take them. DuckDB's own defaults (80 % of RAM, every
   * core) suit a laptop, not a shared server.
   */
  record Limits(String memoryLimit, int threads) {
    static final Limits DEFAULT = new Limits("1GB", 2);

    Limits {
      if (!memoryLimit.strip().matches("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB|%)")) {
        throw new IllegalArgumentException(
            "'" + memoryLimit + "' is not a memory size (e.g. 512MB, 2GB)");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
    }
  }

  /**
   * {@code value} if DuckDB takes it as a memory limit (e.g. {@code 512MB}, {@code 2GB}), else an
   * IllegalArgumentException saying so.
   */
  public static String memoryLimit(String value) {
    return new Limits(value, 1).memoryLimit();
  }

  /** Where the store at {@code file} keeps its bronze files. */
  public static Path bronzeDirectory(Path file) {
    return DuckDbStore.bronzeDirectory(file);
  }

  /** Opens the store for writing, creating the file and its tables if missing. */
  public static EventStore open(Path file) throws StoreException {
    return DuckDbStore.open(file);
  }

  /**
   * Opens the store for writing within DuckDB's memory and thread limits; with {@code parquetCopy}
   * it keeps a Parquet copy of each closed hour of silver beside the file, which other tools read
   * while it writes.
   */
  public static EventStore open(Path file, boolean parquetCopy, String memoryLimit, int threads)
      throws StoreException {
    return DuckDbStore.open(file, parquetCopy, new Limits(memoryLimit, threads));
  }

  /** A read-only view for the dashboard; never creates tables. */
  public static StoreReader openReader(Path file) throws StoreException {
    return DuckDbReader.openReadOnly(file);
  }

  /** The same, within DuckDB {@code limits}. */
  public static StoreReader openReader(Path file, String memoryLimit, int threads)
      throws StoreException {
    return DuckDbReader.openReadOnly(file, new Limits(memoryLimit, threads));
  }

  /** A read-only JDBC connection, for ad-hoc SQL over the tables. */
  public static Connection openReadOnly(Path file) throws StoreException {
    return DuckDbStore.openReadOnly(file);
  }

  /** The same, within DuckDB {@code limits}. */
  public static Connection openReadOnly(Path file, String memoryLimit, int threads)
      throws StoreException {
    return DuckDbStore.openReadOnly(file, new Limits(memoryLimit, threads));
  }
}
