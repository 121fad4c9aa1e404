package org.wikievents.cli;

import java.time.Duration;
import org.wikievents.load.Loader;
import org.wikievents.store.Retention;
import picocli.CommandLine.Option;

/** How the loader batches and how long bronze, silver and per-minute gold are kept. */
final class LoadOptions {
  /** Enough to keep memory small (about 1.5 KB per event) and commits cheap. */
  static final int QUEUE_CAPACITY = 20_000;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "100000",
      converter = Converters.BatchSizeConverter.class,
      description = "Most events committed in one transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--raw-retention",
      paramLabel = "DURATION",
      defaultValue = "1d",
      converter = Converters.DurationConverter.class,
      description =
          "How long bronze (wiki_raw) keeps raw events, by ingest time; 0 keeps them forever"
              + " (default: ${DEFAULT-VALUE}).")
  Duration rawRetention;

  @Option(
      names = "--silver-retention",
      paramLabel = "DURATION",
      defaultValue = "30d",
      converter = Converters.DurationConverter.class,
      description =
          "How long silver (wiki, one row per event) is kept, by event time back from the newest"
              + " event; hourly and daily gold keep the totals forever; 0 keeps silver forever"
              + " (default: ${DEFAULT-VALUE}).")
  Duration silverRetention;

  @Option(
      names = "--minute-retention",
      paramLabel = "DURATION",
      defaultValue = "7d",
      converter = Converters.DurationConverter.class,
      description =
          "How long per-minute gold is kept, by event time back from the newest event; 0 keeps"
              + " it forever (default: ${DEFAULT-VALUE}).")
  Duration minuteRetention;

  @Option(
      names = "--parquet-copy",
      description =
          "Keep a Parquet copy of each closed hour of silver and gold, and of each closed day of"
              + " gold, beside a DuckDB store (<db>.parquet/wiki/date=YYYY-MM-DD/hour=HH.parquet,"
              + " <db>.parquet/gold/TABLE/...), which other tools read while this process writes"
              + " (docs/data-out.md).")
  boolean parquetCopy;

  Loader.Settings settings() {
    if (silverRetention.isNegative() || minuteRetention.isNegative()) {
      throw new IllegalArgumentException("a retention cannot be negative");
    }
    return new Loader.Settings(
        batchSize,
        Duration.ofMillis(500),
        rawRetention,
        new Retention(silverRetention, minuteRetention));
  }
}
