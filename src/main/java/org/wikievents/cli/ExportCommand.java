package org.wikievents.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.wikievents.store.SqlScript;
import org.wikievents.store.duckdb.DuckDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Silver and gold of a time range, as Parquet or CSV files that any tool reads. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes silver and every gold table of a range of event time to a folder, one folder per"
          + " table (OUT/wiki/wiki.parquet, OUT/wiki_hourly_summary/..., ...). Tables without a"
          + " time (per-wiki totals, weekday slots) are written whole. Opens the store read-only."
    })
final class ExportCommand implements Callable<Integer> {
  enum Format {
    parquet,
    csv
  }

  /** A table and the column its range applies to (null: exported whole). */
  private record Exported(String table, String time) {}

  private static final List<Exported> TABLES =
      List.of(
          new Exported("wiki", "event_time"),
          new Exported("wiki_minutely_summary", "\"interval\""),
          new Exported("wiki_hourly_summary", "\"interval\""),
          new Exported("wiki_daily_summary", "\"interval\""),
          new Exported("wiki_minutely_bywiki_summary", "\"interval\""),
          new Exported("wiki_hourly_bywiki_summary", "\"interval\""),
          new Exported("wiki_daily_bywiki_summary", "\"interval\""),
          new Exported("wiki_minutely_detail", "\"interval\""),
          new Exported("wiki_hourly_detail", "\"interval\""),
          new Exported("wiki_daily_detail", "\"interval\""),
          new Exported("wiki_minutely_totals", "\"interval\""),
          new Exported("wiki_bywiki_summary", null),
          new Exported("wiki_weekdays_totals", null),
          new Exported("wiki_weekdays_hours", null));

  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;

  @Option(
      names = "--format",
      defaultValue = "parquet",
      description = "parquet or csv (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      converter = Converters.TimeConverter.class,
      description = "First event time included (2026-05-05T11:00:00Z, 2026-05-05, epoch ms).")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      converter = Converters.TimeConverter.class,
      description = "Event time at which the range ends, excluded.")
  Instant to;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write; must be new or empty.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (storeOptions.clickhouse != null) {
      throw new ParameterException(
          spec.commandLine(), "export reads a DuckDB store; ClickHouse has its own clients");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ParameterException(spec.commandLine(), "--from must be before --to");
    }
    if (java.nio.file.Files.exists(out)) {
      try (Stream<Path> s = java.nio.file.Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new ParameterException(spec.commandLine(), out + " is not empty");
        }
      }
    }
    String template = SqlScript.statement("duckdb", "export_table");
    long start = System.nanoTime();
    try (Connection c = DuckDb.openReadOnly(storeOptions.db);
        Statement st = c.createStatement()) {
      // One transaction: every table of the export shows the same committed state.
      c.setAutoCommit(false);
      for (Exported t : TABLES) {
        Path dir = java.nio.file.Files.createDirectories(out.resolve(t.table()));
        String sql =
            template
                .replace("{table}", t.table())
                .replace("{where}", where(t))
                .replace("{file}", quote(dir.resolve(t.table() + "." + format).toString()))
                .replace("{format}", format.name());
        st.execute(sql);
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalArgumentException("export failed: " + Cli.oneLine(e));
    }
    spec.commandLine()
        .getOut()
        .printf(
            "exported %d tables of %s to %s in %.1f s%n",
            TABLES.size(), storeOptions.db, out, (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private String where(Exported t) {
    if (t.time() == null) {
      return "";
    }
    return "WHERE "
        + t.time()
        + " >= "
        + literal(from, "-infinity")
        + " AND "
        + t.time()
        + " < "
        + literal(to, "infinity");
  }

  /** A TIMESTAMP literal made here from a parsed time. */
  private static String literal(Instant at, String open) {
    return at == null
        ? "TIMESTAMP '" + open + "'"
        : "TIMESTAMP '" + LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(LITERAL) + "'";
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
