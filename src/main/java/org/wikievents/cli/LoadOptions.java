package org.wikievents.cli;

import java.time.Duration;
import org.wikievents.load.Loader;
import picocli.CommandLine.Option;

/** How the loader batches and how long bronze is kept. */
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

  Loader.Settings settings() {
    return new Loader.Settings(batchSize, Duration.ofMillis(500), rawRetention);
  }
}
