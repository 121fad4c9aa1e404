package org.wikievents.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the DuckDB store lives. */
final class StoreOptions {
  @Option(
      names = "--db",
      paramLabel = "PATH",
      defaultValue = "data/wiki-events.duckdb",
      description = "DuckDB store file (default: ${DEFAULT-VALUE}); created if missing.")
  Path db;
}
