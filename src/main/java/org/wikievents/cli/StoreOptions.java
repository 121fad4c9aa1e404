package org.wikievents.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.clickhouse.ClickHouse;
import org.wikievents.store.clickhouse.ClickHouseUrl;
import org.wikievents.store.duckdb.DuckDb;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Where the store lives: a DuckDB file, or a ClickHouse server with --clickhouse. */
final class StoreOptions {
  @Option(
      names = "--db",
      paramLabel = "PATH",
      defaultValue = "data/wiki-events.duckdb",
      description =
          "DuckDB store file (default: ${DEFAULT-VALUE}). run, replay and loader create it if"
              + " missing; dashboard and sql read an existing one.")
  Path db;

  @Option(
      names = "--clickhouse",
      paramLabel = "URL",
      converter = UrlConverter.class,
      description =
          "Store in ClickHouse instead of DuckDB: http://user:pass@host:8123/db (the password may"
              + " instead be in $"
              + ClickHouseUrl.PASSWORD_ENV
              + ").")
  ClickHouseUrl clickhouse;

  @Option(
      names = "--clickhouse-cluster",
      description =
          "With --clickhouse: replicated tables behind Distributed ones, created ON CLUSTER"
              + " '{cluster}' (the server's macro).")
  boolean cluster;

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      defaultValue = "1GB",
      converter = MemorySizeConverter.class,
      description =
          "Most memory DuckDB may use, e.g. 512MB or 4GB (default: ${DEFAULT-VALUE}); the JVM"
              + " heap is extra.")
  String memoryLimit;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "2",
      description = "DuckDB worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  /**
   * Opens the chosen store; {@code rawRetention} is how long bronze is kept (0: forever), {@code
   * parquetCopy} whether a DuckDB store keeps a Parquet copy of each closed hour of silver.
   */
  EventStore open(Duration rawRetention, boolean parquetCopy) throws StoreException {
    if (clickhouse == null) {
      if (cluster) {
        throw new IllegalArgumentException("--clickhouse-cluster needs --clickhouse URL");
      }
      return DuckDb.open(db, parquetCopy, memoryLimit, threads);
    }
    return ClickHouse.open(clickhouse, cluster, rawRetention);
  }

  /**
   * A read-only view of the chosen store for the dashboard; never creates tables. The cluster
   * layout reads with the same queries (its Distributed tables keep the logical names).
   */
  StoreReader openReader() throws StoreException {
    if (clickhouse == null) {
      if (cluster) {
        throw new IllegalArgumentException("--clickhouse-cluster needs --clickhouse URL");
      }
      return DuckDb.openReader(existingDb(), memoryLimit, threads);
    }
    return ClickHouse.openReader(clickhouse);
  }

  /** wiki_events_store_bytes{part=database|bronze}: what a DuckDB store takes on disk. */
  void registerDiskUsage(MeterRegistry registry) {
    if (clickhouse != null) {
      return; // the ClickHouse server's own metrics tell
    }
    Path wal = db.resolveSibling(db.getFileName() + ".wal");
    Gauge.builder("wiki_events_store_bytes", () -> DiskUsage.bytes(db) + DiskUsage.bytes(wal))
        .description(
            "Bytes on disk of the DuckDB store file (with its WAL) and of its bronze folder.")
        .tag("part", "database")
        .register(registry);
    Path bronze = DuckDb.bronzeDirectory(db);
    Gauge.builder("wiki_events_store_bytes", () -> DiskUsage.bytes(bronze))
        .description(
            "Bytes on disk of the DuckDB store file (with its WAL) and of its bronze folder.")
        .tag("part", "bronze")
        .register(registry);
  }

  /** The DuckDB file, which must exist: reading never creates a store. */
  Path existingDb() {
    if (!java.nio.file.Files.exists(db)) {
      throw new IllegalArgumentException("no store at " + db);
    }
    return db;
  }

  /** The store for messages; never shows a password. */
  String describe() {
    return clickhouse == null ? db.toString() : clickhouse.toString();
  }

  static final class MemorySizeConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return DuckDb.memoryLimit(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads the password from the environment when the URL has none. */
  static final class UrlConverter implements ITypeConverter<ClickHouseUrl> {
    @Override
    public ClickHouseUrl convert(String value) {
      try {
        return ClickHouseUrl.parse(value, System.getenv(ClickHouseUrl.PASSWORD_ENV));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
