package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.store.clickhouse.ClickHouseUrl;
import org.wikievents.testing.Broker;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.ClickHouseTables;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Roles;
import org.wikievents.testing.Samples;
import picocli.CommandLine;

/** --clickhouse as a user meets it: one-line errors that never show the password, and a replay. */
class ClickHouseCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void aBadUrlIsOneLineAndExitCode2WithoutThePassword() {
    assertThat(run("run", "--clickhouse", "ftp://loader:hunter2@h/db")).isEqualTo(2);

    assertThat(err.toString().lines().findFirst().orElseThrow())
        .contains("'ftp://loader:***@h/db' is not a ClickHouse URL");
    assertThat(err.toString()).doesNotContain("hunter2").doesNotContain("\tat ");
  }

  @Test
  void anUnreachableServerIsOneLineAndExitCode1WithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "http://loader:hunter2@127.0.0.1:" + closedPort + "/wiki";

    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--clickhouse", url)).isEqualTo(1);

    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("wiki-events: cannot open the ClickHouse store http://loader@127.0.0.1:")
        .doesNotContain("hunter2");
  }

  @Test
  void aDashboardOnAnUnreachableServerIsOneLineAndExitCode1WithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "http://reader:hunter2@127.0.0.1:" + closedPort + "/wiki";

    assertThat(run("dashboard", "--clickhouse", url, "--port", "0")).isEqualTo(1);

    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("wiki-events: cannot read the ClickHouse store http://reader@127.0.0.1:")
        .doesNotContain("hunter2");
  }

  @Test
  void clusterNeedsAServerAndSqlReadsOnlyDuckDb() {
    assertThat(run("run", "--clickhouse-cluster")).isEqualTo(2);
    assertThat(run("dashboard", "--clickhouse-cluster", "--port", "0")).isEqualTo(2);
    assertThat(run("sql", "--clickhouse", "http://h/db", "SELECT 1")).isEqualTo(2);

    assertThat(err.toString().lines())
        .containsExactly(
            "wiki-events: --clickhouse-cluster needs --clickhouse URL",
            "wiki-events: --clickhouse-cluster needs --clickhouse URL",
            "wiki-events: sql reads a DuckDB store; query ClickHouse with its own client"
                + " (docs/clickhouse.md)");
  }

  @Test
  void replayIntoClickHouseStoresEachEventOnceAndSaysWhere() throws Exception {
    try (ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_cli")) {
      String url = withPassword(db.url());
      String file = Samples.NEW_ITEMS_2018.toString();

      assertThat(run("replay", file, "--clickhouse", url)).isZero();
      assertThat(run("replay", file, "--clickhouse", url)).isZero();

      List<String> lines = out.toString().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .startsWith("replayed " + file + ": read 82, stored 82, duplicates 0, quarantined 0");
      assertThat(lines.get(1))
          .startsWith("replayed " + file + ": read 82, stored 0, duplicates 82, quarantined 0");
      assertThat(err.toString()).isEmpty();
    }
  }

  @Test
  void replayWithASilverRetentionOfOneMinuteKeepsTheLastMinuteBeforeTheNewestEventInSilver()
      throws Exception {
    List<String> lines = Samples.lines(Samples.WIKIDATA_2018);
    try (ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_cli");
        Client c = ClickHouseServer.client(db.url())) {
      assertThat(
              run(
                  "replay",
                  Samples.WIKIDATA_2018.toString(),
                  "--clickhouse",
                  withPassword(db.url()),
                  "--silver-retention",
                  "1m"))
          .as(err.toString())
          .isZero();

      ObjectMapper json = new ObjectMapper();
      Instant newest = Instant.EPOCH;
      Map<String, Instant> times = new HashMap<>();
      for (String l : lines) {
        JsonNode meta = json.readTree(l).path("meta");
        Instant t = OffsetDateTime.parse(meta.path("dt").asText()).toInstant();
        times.put(meta.path("id").asText(), t);
        newest = t.isAfter(newest) ? t : newest;
      }
      Instant cutoff = newest.minusSeconds(60);
      Set<String> lastMinute = new HashSet<>();
      times.forEach(
          (id, t) -> {
            if (!t.isBefore(cutoff)) {
              lastMinute.add(id);
            }
          });
      assertThat(lastMinute.size()).isBetween(100, times.size() - 100);
      assertThat(ClickHouseTables.silverIds(c)).isEqualTo(lastMinute);
      GoldRecompute.of(lines).assertMatches(ClickHouseTables.gold(c));
    }
  }

  @Test
  void aLoaderStoresWhatTheQueueHoldsInClickHouse() throws Exception {
    try (Broker broker = Broker.forTest(1000);
        RabbitQueue readerSide = new RabbitQueue(broker.settings());
        ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_loader")) {
      Roles.publish(Samples.NEW_ITEMS_2018, readerSide);

      int exit =
          run(
              "loader",
              "--clickhouse",
              withPassword(db.url()),
              "--port",
              "0",
              "--amqp-uri",
              Broker.URI,
              "--exchange",
              broker.settings().exchange(),
              "--queue",
              broker.settings().queue(),
              "--exit-when-idle",
              "1s");

      assertThat(exit).as(err.toString()).isZero();
      String silver = "SELECT uniqExact(event_id) FROM " + db.url().database() + ".wiki";
      assertThat(db.admin().queryAll(silver).get(0).getLong(1)).isEqualTo(82);
    }
  }

  private static String withPassword(ClickHouseUrl server) {
    return server
            .endpoint()
            .replace("://", "://" + server.user() + ":" + encode(server.password()) + "@")
        + "/"
        + server.database();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
