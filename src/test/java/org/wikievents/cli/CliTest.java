package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, one-line errors, output formats. */
class CliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path db;

  @BeforeEach
  void setUp() {
    db = dir.resolve("store.duckdb");
  }

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "run --no-such-flag | Unknown option: '--no-such-flag'",
        "run --stream-url ftp:/x | 'ftp:/x' is not an http(s) URL",
        "run --since tomorrowish | 'tomorrowish' is not a time",
        "run --raw-retention forever | 'forever' is not a duration",
        "replay x.ndjson --speed -2 | '-2' is not a speed",
        "sql --format xml select | Invalid value for option '--format'",
        "replay x.ndjson --batch-size 0 | '0' is not a batch size",
        "dashboard --max-live-clients 0 | '0' is not a positive number",
        "run --alert-webhook ftp://x/secret | --alert-webhook takes an http(s) URL",
        "loader --alert-wiki-factor 2 | '2' is not a spike factor (0 for off, or 3 and more)",
        "run --alert-page-factor many | 'many' is not a number",
        "run --alert-quarantine-share 1.5 | '1.5' is not a share",
        "run --alert-cooldown soon | 'soon' is not a duration",
      })
  void aBadFlagIsOneLineAndExitCode2(String args, String message) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow()).contains(message);
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(err.toString().lines().count()).isEqualTo(2);
  }

  @Test
  void aMissingFileOrStoreIsOneLineAndExitCode2() {
    assertThat(run("replay", dir.resolve("missing.ndjson").toString(), "--db", db.toString()))
        .isEqualTo(2);
    assertThat(run("run", "--replay", dir.resolve("missing.ndjson").toString(), "--db", "" + db))
        .isEqualTo(2);
    assertThat(run("sql", "--db", dir.resolve("none.duckdb").toString(), "SELECT 1")).isEqualTo(2);

    assertThat(err.toString().lines())
        .containsExactly(
            "wiki-events: no such file: " + dir.resolve("missing.ndjson"),
            "wiki-events: no such file: " + dir.resolve("missing.ndjson"),
            "wiki-events: no store at " + dir.resolve("none.duckdb"));
  }

  @Test
  void replayingADirectorySaysItIsOne() {
    assertThat(run("replay", dir.toString(), "--db", db.toString())).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("wiki-events: " + dir + " is a directory, not a recording");
  }

  @Test
  void aStoreOfANewerLayoutIsOneLineAndExitCode2AndStaysAsItWas() throws Exception {
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO wiki_layout VALUES (99, TIMESTAMP '2027-06-01 00:00:00', 'future')");
    }
    String expected = "wiki-events: the store " + db + " has layout 99, newer than this program's";

    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString()))
        .isEqualTo(2);
    assertThat(run("dashboard", "--db", db.toString(), "--port", "0")).isEqualTo(2);
    assertThat(run("sql", "--db", db.toString(), "SELECT count(*) FROM wiki")).isEqualTo(2);

    assertThat(err.toString().lines()).hasSize(3).allMatch(l -> l.startsWith(expected));
    assertThat(err.toString()).doesNotContain("Exception");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM wiki), (SELECT max(version) FROM wiki_layout)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(82);
      assertThat(rs.getInt(2)).isEqualTo(99);
    }
  }

  @Test
  void replayWithASilverRetentionOfOneMinuteKeepsTheLastMinuteBeforeTheNewestEventInSilver()
      throws Exception {
    List<String> lines = Samples.lines(Samples.WIKIDATA_2018);

    assertThat(
            run(
                "replay",
                Samples.WIKIDATA_2018.toString(),
                "--db",
                db.toString(),
                "--silver-retention",
                "1m"))
        .isZero();

    ObjectMapper json = new ObjectMapper();
    java.time.Instant newest = java.time.Instant.EPOCH;
    Map<String, java.time.Instant> times = new HashMap<>();
    for (String l : lines) {
      JsonNode meta = json.readTree(l).path("meta");
      java.time.Instant t = java.time.OffsetDateTime.parse(meta.path("dt").asText()).toInstant();
      times.put(meta.path("id").asText(), t);
      newest = t.isAfter(newest) ? t : newest;
    }
    java.time.Instant cutoff = newest.minusSeconds(60);
    Set<String> lastMinute = new HashSet<>();
    times.forEach(
        (id, t) -> {
          if (!t.isBefore(cutoff)) {
            lastMinute.add(id);
          }
        });
    assertThat(lastMinute.size()).isBetween(100, times.size() - 100);
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.strings("SELECT event_id::VARCHAR FROM wiki")).isEqualTo(lastMinute);
      GoldRecompute.of(lines).assertMatches(t.gold());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "run       | WIKI_EVENTS_AUTH WIKI_EVENTS_CLICKHOUSE_PASSWORD WIKI_EVENTS_CONTACT",
        "dashboard | WIKI_EVENTS_AUTH WIKI_EVENTS_CLICKHOUSE_PASSWORD",
        "replay    | WIKI_EVENTS_CLICKHOUSE_PASSWORD",
        "record    | WIKI_EVENTS_CONTACT",
        "reader    | WIKI_EVENTS_AMQP_URI WIKI_EVENTS_CONTACT",
        "loader    | WIKI_EVENTS_AMQP_URI WIKI_EVENTS_AUTH WIKI_EVENTS_CLICKHOUSE_PASSWORD",
        "sql       | WIKI_EVENTS_CLICKHOUSE_PASSWORD",
      })
  void everyCommandHasHelpThatListsTheEnvironmentItReads(String command, String variables) {
    assertThat(run(command, "--help")).isZero();
    assertThat(out.toString()).startsWith("Usage: wiki-events " + command);
    String help = out.toString();
    assertThat(help).contains("\nEnvironment:\n");
    String environment = help.substring(help.indexOf("\nEnvironment:\n"));
    for (String variable : (variables + " WIKI_EVENTS_DEBUG").split(" ")) {
      assertThat(environment).contains("  " + variable + " ");
    }
  }

  @Test
  void replayPrintsASummaryAndSqlReadsTheStoreInEveryFormat() throws Exception {
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    assertThat(out.toString())
        .contains("read 82, stored 82, duplicates 0, quarantined 0, canaries 0");

    out.getBuffer().setLength(0);
    String query = "SELECT wiki_name, events FROM wiki_bywiki_summary";
    assertThat(run("sql", "--db", db.toString(), query)).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "wiki_name    | events", "-------------+-------", "wikidatawiki | 82", "(1 row)");

    out.getBuffer().setLength(0);
    assertThat(run("sql", "--db", db.toString(), "--format", "csv", query)).isZero();
    assertThat(out.toString().lines()).containsExactly("wiki_name,events", "wikidatawiki,82");

    out.getBuffer().setLength(0);
    assertThat(run("sql", "--db", db.toString(), "--format", "json", query)).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get(0).get("wiki_name").asText()).isEqualTo("wikidatawiki");
    assertThat(json.get(0).get("events").asLong()).isEqualTo(82);
  }

  @Test
  void sqlIsReadOnlyAndReportsErrorsOnOneLine() {
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();

    assertThat(run("sql", "--db", db.toString(), "DELETE FROM wiki")).isEqualTo(2);
    assertThat(run("sql", "--db", db.toString(), "SELEKT nothing")).isEqualTo(2);

    assertThat(err.toString().lines()).hasSize(2).allMatch(l -> l.startsWith("wiki-events: "));
    assertThat(err.toString()).contains("sql never changes the store (it opens it read-only)");
  }

  @Test
  void sqlWritesOutsideTheStoreWithCopyAndExportAndAnotherDuckDbReadsItBack() throws Exception {
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    Path parquet = dir.resolve("out.parquet");
    Path exported = dir.resolve("exported");

    assertThat(
            run(
                "sql",
                "--db",
                db.toString(),
                "COPY (SELECT * FROM wiki ORDER BY event_id) TO '"
                    + parquet
                    + "' (FORMAT parquet)"))
        .isZero();
    assertThat(run("sql", "--db", db.toString(), "EXPORT DATABASE '" + exported + "'")).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).contains("done");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT event_id) FROM read_parquet('" + parquet + "')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(82);
      assertThat(rs.getLong(2)).isEqualTo(82);
    }
    assertThat(exported.resolve("schema.sql")).exists();
    assertThat(exported.resolve("load.sql")).exists();
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndDisarmsFormulasInText() throws Exception {
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    out.getBuffer().setLength(0);
    String query =
        "SELECT * FROM (VALUES ('plain', -5), ('a,b', 1), ('say \"hi\"', 2), ('two' || chr(10)"
            + " || 'lines', 3), ('=1+1', 4)) t(text, n)";

    assertThat(run("sql", "--db", db.toString(), "--format", "csv", query)).isZero();
    assertThat(out.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "text,n",
                "plain,-5",
                "\"a,b\",1",
                "\"say \"\"hi\"\"\",2",
                "\"two\nlines\",3",
                "'=1+1,4",
                ""));
  }
}
