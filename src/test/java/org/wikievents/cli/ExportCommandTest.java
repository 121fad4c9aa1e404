package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.testing.Samples;
import picocli.CommandLine;

/** {@code export}: what another DuckDB reads back is exactly the store's rows of the range. */
class ExportCommandTest {
  /** The day of the 2018 wikidata sample up to a minute and a half before its end. */
  static final String FROM = "2018-03-07";

  static final String TO = "2018-03-07T16:20:00Z";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "csv"})
  void anotherDuckDbReadsTheRangeBackExactly(String format) throws Exception {
    Path db = dir.resolve("store.duckdb");
    Path exported = dir.resolve("out");
    assertThat(run("replay", Samples.WIKIDATA_2018.toString(), "--db", db.toString())).isZero();

    assertThat(
            run(
                "export",
                "--db",
                db.toString(),
                "--format",
                format,
                "--from",
                FROM,
                "--to",
                TO,
                "--out",
                exported.toString()))
        .isZero();

    assertThat(err.toString()).isEmpty();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + db + "' AS store (READ_ONLY)");
      String range = " >= TIMESTAMP '2018-03-07 00:00:00' AND %s < TIMESTAMP '2018-03-07 16:20:00'";
      for (String[] t :
          List.of(
              new String[] {"wiki", "event_time"},
              new String[] {"wiki_minutely_summary", "\"interval\""},
              new String[] {"wiki_hourly_detail", "\"interval\""},
              new String[] {"wiki_daily_summary", "\"interval\""},
              new String[] {"wiki_bywiki_summary", null})) {
        String table = t[0];
        Path file = exported.resolve(table).resolve(table + "." + format);
        assertThat(file).exists();
        String where = t[1] == null ? "" : " WHERE " + t[1] + range.formatted(t[1]);
        String expected = "SELECT * FROM store." + table + where;
        String actual =
            format.equals("parquet")
                ? "SELECT * FROM read_parquet('" + file + "')"
                : "SELECT * FROM read_csv('"
                    + file
                    + "', all_varchar = true, allow_quoted_nulls = false)";
        if (format.equals("csv")) {
          expected = "SELECT " + varchar(st, table) + " FROM store." + table + where;
        }
        long rows = count(st, "SELECT count(*) FROM (" + expected + ")");
        assertThat(count(st, "SELECT count(*) FROM (" + actual + ")")).as(table).isEqualTo(rows);
        assertThat(count(st, "SELECT count(*) FROM (" + expected + " EXCEPT ALL " + actual + ")"))
            .as(table + ": rows of the store missing from the export")
            .isZero();
      }
      if (format.equals("parquet")) {
        long all = count(st, "SELECT count(*) FROM store.wiki");
        assertThat(count(st, "SELECT count(*) FROM read_parquet('" + exported + "/wiki/*')"))
            .as("the range is a part of silver")
            .isLessThan(all);
      }
    }
  }

  @Test
  void aNonEmptyFolderOrAnEmptyRangeIsABadFlag() throws Exception {
    Path db = dir.resolve("store.duckdb");
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("x"), "x");

    assertThat(run("export", "--db", db.toString(), "--out", full.toString())).isEqualTo(2);
    assertThat(
            run(
                "export",
                "--db",
                db.toString(),
                "--from",
                TO,
                "--to",
                FROM,
                "--out",
                dir.resolve("new").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is not empty").contains("--from must be before --to");
    assertThat(dir.resolve("new")).doesNotExist();
  }

  private static String varchar(Statement st, String table) throws Exception {
    List<String> cols = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'store'"
                + " AND table_name = '"
                + table
                + "' ORDER BY column_index")) {
      while (rs.next()) {
        cols.add("\"" + rs.getString(1) + "\"::VARCHAR");
      }
    }
    return String.join(", ", cols);
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
