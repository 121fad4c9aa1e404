package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wikievents.load.IngestState;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.clickhouse.ClickHouse;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.PanelRecompute;
import org.wikievents.testing.PanelRecompute.Filter;
import org.wikievents.testing.Samples;

/**
 * Any range, on a store holding all three vendored recordings (2018 and 2026): for fixed ranges,
 * including one that splits minutes and one spanning the years, every panel's JSON equals {@link
 * PanelRecompute}'s answer from the recordings themselves, on DuckDB and on ClickHouse; the silver
 * panels of a range longer than a day read only its newest day, and say so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RangePanelsTest {
  private static final List<Path> SAMPLES =
      List.of(Samples.WIKIDATA_2018, Samples.NEW_ITEMS_2018, Samples.MULTIWIKI_2026);

  /** A range as asked, and the whole buckets the answer must name. */
  record Case(String from, String to, String wantFrom, String wantTo, String res) {}

  private static final List<Case> CASES =
      List.of(
          new Case(
              "2018-03-07T16:00:00Z",
              "2018-03-07T17:00:00Z",
              "2018-03-07T16:00:00Z",
              "2018-03-07T17:00:00Z",
              "minute"),
          // splits minutes at both ends: widened to whole minutes
          new Case(
              "2018-03-07T16:17:30Z",
              "2018-03-07T16:19:30Z",
              "2018-03-07T16:17:00Z",
              "2018-03-07T16:20:00Z",
              "minute"),
          new Case(
              "2018-03-07", "2018-03-16", "2018-03-07T00:00:00Z", "2018-03-16T00:00:00Z", "hour"),
          // both years of the samples
          new Case(
              "2018-01-01", "2027-01-01", "2018-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "day"),
          new Case(
              String.valueOf(Instant.parse("2026-05-05T11:18:00Z").toEpochMilli()),
              String.valueOf(Instant.parse("2026-05-05T11:18:20.500Z").toEpochMilli()),
              "2026-05-05T11:18:00Z",
              "2026-05-05T11:19:00Z",
              "minute"));

  private static final Map<String, Filter> FILTERS =
      Map.of(
          "", new Filter(null, null, null),
          "wiki=wikidatawiki", new Filter("wikidatawiki", null, null),
          "wiki=commonswiki&bot=bot", new Filter("commonswiki", true, null),
          "bot=human&type=edit", new Filter(null, false, "edit"));

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> open = new ArrayList<>();
  private PanelRecompute recompute;
  private DashboardServer duckdb;
  private DashboardServer trimmed;
  private DashboardServer clickhouse;

  @BeforeAll
  void storeAllSamples() throws Exception {
    List<String> lines = new ArrayList<>();
    SAMPLES.forEach(s -> lines.addAll(Samples.lines(s)));
    recompute = PanelRecompute.of(lines);
    Path dir = Files.createTempDirectory("wiki-events-range");
    Path db = dir.resolve("all.duckdb");
    try (EventStore store = DuckDb.open(db)) {
      for (Path s : SAMPLES) {
        Samples.replay(s, store);
      }
    }
    // The same store with silver trimmed before 2026 (gold kept): what a silver retention leaves.
    Path cut = dir.resolve("trimmed.duckdb");
    Files.copy(db, cut);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + cut);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM wiki WHERE event_time < TIMESTAMP '2026-01-01'");
    }
    duckdb = serve(DuckDb.openReader(db));
    trimmed = serve(DuckDb.openReader(cut));
  }

  private DashboardServer serve(StoreReader reader) {
    open.add(reader);
    DashboardServer s =
        DashboardServer.start(
            reader,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new DashboardServer.Settings(
                "127.0.0.1", 0, null, Duration.ofMillis(300), () -> IngestState.none("test")));
    open.add(s);
    return s;
  }

  @AfterAll
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private HttpResponse<String> get(DashboardServer server, String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode ok(DashboardServer server, String path) throws Exception {
    HttpResponse<String> r = get(server, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private static String query(Case c, String filter) {
    return "from=" + c.from() + "&to=" + c.to() + (filter.isEmpty() ? "" : "&" + filter);
  }

  /** Every panel endpoint, and the snapshot, against the recomputation. */
  private void assertEveryPanelMatches(DashboardServer server) throws Exception {
    int withRows = 0;
    for (Case c : CASES) {
      Instant from = Instant.parse(c.wantFrom());
      Instant to = Instant.parse(c.wantTo());
      for (Map.Entry<String, Filter> f : FILTERS.entrySet()) {
        String q = query(c, f.getKey());
        JsonNode snapshot = ok(server, "/api/snapshot?" + q);
        assertThat(snapshot.get("range").get("from").asText()).as(q).isEqualTo(c.wantFrom());
        assertThat(snapshot.get("range").get("to").asText()).as(q).isEqualTo(c.wantTo());
        assertThat(snapshot.get("range").get("resolution").asText()).as(q).isEqualTo(c.res());
        for (Panel p : Panel.values()) {
          String want =
              json.writeValueAsString(recompute.panel(p.key(), from, to, c.res(), f.getValue()));
          String path = "/api/" + p.path + "?" + q;
          JsonNode answer = ok(server, path);
          assertThat(json.writeValueAsString(answer.get("rows"))).as(path).isEqualTo(want);
          assertThat(answer.get("from").asText()).as(path).isEqualTo(c.wantFrom());
          assertThat(answer.get("to").asText()).as(path).isEqualTo(c.wantTo());
          assertThat(answer.get("resolution").asText()).as(path).isEqualTo(c.res());
          assertThat(json.writeValueAsString(snapshot.get("panels").get(p.key()).get("rows")))
              .as("snapshot " + p.key() + " " + q)
              .isEqualTo(want);
          if (answer.get("rows").size() > 0) {
            withRows++;
          }
          HttpResponse<String> csv = get(server, path + "&format=csv");
          assertThat(csv.statusCode()).as(path + " csv").isEqualTo(200);
          List<String> columns = new ArrayList<>();
          answer.get("columns").forEach(col -> columns.add(col.asText()));
          assertThat(csv.body()).as(path + " csv").startsWith(String.join(",", columns));
        }
      }
    }
    assertThat(withRows).as("answers with rows").isGreaterThan(150);
  }

  @Test
  void everyPanelOverFixedRangesEqualsTheRecomputeOnDuckDb() throws Exception {
    assertEveryPanelMatches(duckdb);
  }

  @Test
  void everyPanelOverFixedRangesEqualsTheRecomputeOnClickHouse() throws Exception {
    assertEveryPanelMatches(clickhouse());
  }

  @Test
  void pageAndEditorDrillDownsListTheirChangesInTheRange() throws Exception {
    Case c = CASES.get(0);
    Instant from = Instant.parse(c.wantFrom());
    Instant to = Instant.parse(c.wantTo());
    Filter all = new Filter(null, null, null);
    JsonNode editors = ok(duckdb, "/api/editors?" + query(c, ""));
    String user = editors.get("rows").get(0).get(0).asText();
    JsonNode pages = ok(duckdb, "/api/top-pages?" + query(c, ""));
    String wiki = pages.get("rows").get(0).get(0).asText();
    String title = pages.get("rows").get(0).get(2).asText();

    JsonNode byUser = ok(duckdb, "/api/changes?" + query(c, "") + "&user=" + enc(user));
    assertThat(json.writeValueAsString(byUser.get("rows")))
        .isEqualTo(json.writeValueAsString(recompute.changes(from, to, all, null, user)));
    assertThat(byUser.get("rows").size()).isPositive();
    JsonNode byPage =
        ok(duckdb, "/api/changes?" + query(c, "wiki=" + wiki) + "&title=" + enc(title));
    assertThat(json.writeValueAsString(byPage.get("rows")))
        .isEqualTo(
            json.writeValueAsString(
                recompute.changes(from, to, new Filter(wiki, null, null), title, null)));
    assertThat(byPage.get("rows").size()).isEqualTo(pages.get("rows").get(0).get(3).asInt());
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/top-wikis?range=1h&from=2018-03-07&to=2018-03-08|give either range or from and to",
        "/api/top-wikis?from=2018-03-07|from and to go together",
        "/api/snapshot?to=2018-03-07|from and to go together",
        "/api/feed?from=2018-03-08&to=2018-03-07|from must be before to",
        "/api/feed?from=2018-03-08&to=2018-03-08|from must be before to",
        "/api/kpis?from=yesterday&to=2018-03-08|from 'yesterday' is not a time",
        "/api/kpis?from=2018-03-07&to=2018-13-08|to '2018-13-08' is not a time",
        "/api/timeline?from=2001-01-01&to=2099-01-01|the range is longer than 20 years",
        "/api/timeline?from=1000&to=2000|from must lie between 2001 and 2100",
        "/api/live?range=5y|range must be one of 1h, 24h, 7d, 30d, all",
        "/api/changes?from=2018-03-07&to=2018-03-08|takes either title (with wiki) or user",
        "/api/changes?range=1h&title=Q1|a title needs its wiki",
        "/api/feed?from=2018-03-07&to=2018-03-08&user=x|takes no title or user",
      })
  void badRangesAnswer400WithOneLine(String path, String reason) throws Exception {
    HttpResponse<String> r = get(duckdb, path);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    String error = json.readTree(r.body()).get("error").asText();
    assertThat(error).contains(reason).doesNotContain("\n");
  }

  @Test
  void theAnswerSaysWhetherTheRangeIsFixedAndPresetsEndAtTheNewestEvent() throws Exception {
    assertThat(ok(duckdb, "/api/kpis?from=2018-03-07&to=2018-03-08").get("fixed").asBoolean())
        .isTrue();
    JsonNode live = ok(duckdb, "/api/snapshot?range=1h").get("range");
    assertThat(live.get("fixed").asBoolean()).isFalse();
    assertThat(live.get("from").asText()).isEqualTo("2026-05-05T10:19:00Z");
    assertThat(live.get("to").asText()).isEqualTo("2026-05-05T11:19:00Z");
    JsonNode all = ok(duckdb, "/api/snapshot?range=all");
    assertThat(all.get("range").get("from").asText()).isEqualTo("2018-03-07T00:00:00Z");
    assertThat(all.get("range").get("resolution").asText()).isEqualTo("day");
    long total = 0;
    for (JsonNode row : all.get("panels").get("timeline").get("rows")) {
      total += row.get(1).asLong();
    }
    assertThat(total).isEqualTo(3818 + 82 + Samples.MULTIWIKI_EVENTS);
  }

  @Test
  void theLiveStreamSendsTheRangesSnapshot() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + duckdb.port()
                        + "/api/live?from=2018-03-07T16:00:00Z&to=2018-03-07T17:00:00Z&bot=bot"))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("event: snapshot");
      JsonNode s = json.readTree(in.readLine().substring("data: ".length()));
      assertThat(s.get("range").get("from").asText()).isEqualTo("2018-03-07T16:00:00Z");
      assertThat(s.get("range").get("fixed").asBoolean()).isTrue();
      assertThat(json.writeValueAsString(s.get("panels").get("top_wikis").get("rows")))
          .isEqualTo("[[\"wikidatawiki\",2932,2932]]");
    }
  }

  private static final String SILVER_PANELS =
      "top pages, editors, page spikes, namespaces, new pages, the feed and the editors card";

  /**
   * The 9 days of 2018 hold one recording on 03-07 and one on 03-15: the silver panels read only
   * the last day, so they see the 03-15 recording alone while the gold panels count both.
   */
  @Test
  void silverPanelsOfALongRangeReadOnlyItsNewestDayOnDuckDb() throws Exception {
    assertSilverPanelsReadTheNewestDay(duckdb);
  }

  @Test
  void silverPanelsOfALongRangeReadOnlyItsNewestDayOnClickHouse() throws Exception {
    assertSilverPanelsReadTheNewestDay(clickhouse());
  }

  private void assertSilverPanelsReadTheNewestDay(DashboardServer server) throws Exception {
    String q = "from=2018-03-07&to=2018-03-16";
    JsonNode wikis = ok(server, "/api/top-wikis?" + q);
    assertThat(wikis.get("rows").get(0).get(1).asLong()).isEqualTo(3818 + 82);
    JsonNode kpis = ok(server, "/api/kpis?" + q);
    assertThat(kpis.get("rows").get(0).get(0).asLong()).as("gold events").isEqualTo(3818 + 82);
    assertThat(kpis.get("rows").get(0).get(2).asLong())
        .as("editors of 03-15 alone")
        .isEqualTo(editorsOf(Samples.NEW_ITEMS_2018));
    assertThat(kpis.get("rows").get(0).get(3).asLong()).as("editors on 03-14").isZero();

    Set<String> titles07 = titlesOf(Samples.WIKIDATA_2018);
    Set<String> titles15 = titlesOf(Samples.NEW_ITEMS_2018);
    JsonNode pages = ok(server, "/api/top-pages?" + q);
    assertThat(pages.get("rows")).isNotEmpty();
    long pageEvents = 0;
    for (JsonNode row : pages.get("rows")) {
      assertThat(titles15).contains(row.get(2).asText());
      assertThat(titles07).doesNotContain(row.get(2).asText());
      pageEvents += row.get(3).asLong();
    }
    assertThat(pageEvents).isLessThanOrEqualTo(82);
    for (JsonNode row : ok(server, "/api/feed?" + q).get("rows")) {
      assertThat(row.get(0).asText()).startsWith("2018-03-15T");
    }

    String note =
        "Single changes are read for at most the newest 24 h of a range: "
            + SILVER_PANELS
            + " cover 2018-03-15T00:00:00Z to 2018-03-16T00:00:00Z.";
    assertThat(pages.get("note").asText()).isEqualTo(note);
    assertThat(pages.get("silverWindow").get("from").asText()).isEqualTo("2018-03-15T00:00:00Z");
    assertThat(pages.get("silverWindow").get("to").asText()).isEqualTo("2018-03-16T00:00:00Z");
    JsonNode snapshot = ok(server, "/api/snapshot?" + q).get("silver");
    assertThat(snapshot.get("note").asText()).isEqualTo(note);
    assertThat(snapshot.get("silverWindow").get("from").asText()).isEqualTo("2018-03-15T00:00:00Z");
    // the drill-down reads its whole range
    JsonNode changes =
        ok(server, "/api/changes?" + q + "&user=" + enc(firstUser(Samples.WIKIDATA_2018)));
    assertThat(changes.get("rows")).isNotEmpty();
    assertThat(changes.get("note").isNull()).isTrue();

    // a day inside silver: all of it, no note
    JsonNode day = ok(server, "/api/top-pages?from=2018-03-15&to=2018-03-16");
    assertThat(day.get("note").isNull()).isTrue();
    assertThat(day.get("silverWindow").get("from").asText()).isEqualTo("2018-03-15T00:00:00Z");
    assertThat(
            ok(server, "/api/snapshot?from=2018-03-15&to=2018-03-16")
                .get("silver")
                .get("note")
                .isNull())
        .isTrue();
  }

  private DashboardServer clickhouse() throws Exception {
    ClickHouseServer.url();
    if (clickhouse == null) {
      ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_ranges");
      open.add(db);
      EventStore store = ClickHouse.open(db.url(), false, Duration.ZERO);
      open.add(store);
      for (Path s : SAMPLES) {
        Samples.replay(s, store);
      }
      clickhouse = serve(store.reader());
    }
    return clickhouse;
  }

  private long editorsOf(Path sample) throws Exception {
    Set<String> users = new HashSet<>();
    for (String line : Samples.lines(sample)) {
      JsonNode user = json.readTree(line).get("user");
      if (user != null && user.isTextual()) {
        users.add(user.asText());
      }
    }
    return users.size();
  }

  private Set<String> titlesOf(Path sample) throws Exception {
    Set<String> titles = new HashSet<>();
    for (String line : Samples.lines(sample)) {
      JsonNode title = json.readTree(line).get("title");
      if (title != null && title.isTextual()) {
        titles.add(title.asText());
      }
    }
    return titles;
  }

  private String firstUser(Path sample) throws Exception {
    return json.readTree(Samples.lines(sample).get(0)).get("user").asText();
  }

  @Test
  void silverPanelsSayPlainlyWhenRetentionShortensTheRange() throws Exception {
    // a day that starts before trimmed silver: retention alone
    JsonNode day = ok(trimmed, "/api/top-pages?from=2026-05-05&to=2026-05-06");
    assertThat(day.get("silverFrom").asText()).startsWith("2026-05-05T11:17:40");
    assertThat(day.get("silverWindow").get("from").asText()).startsWith("2026-05-05T11:17:40");
    assertThat(day.get("note").asText())
        .startsWith("Single changes are kept from 2026-05-05T11:17:40")
        .contains(
            "this range starts earlier, so " + SILVER_PANELS + " cover only 2026-05-05T11:17:40")
        .endsWith(" to 2026-05-06T00:00:00Z.");
    // a week: the cap and retention
    JsonNode week = ok(trimmed, "/api/snapshot?from=2026-04-29&to=2026-05-06").get("silver");
    assertThat(week.get("note").asText())
        .startsWith("Single changes are read for at most the newest 24 h of a range and are kept")
        .contains(SILVER_PANELS + " cover only 2026-05-05T11:17:40");
    assertThat(week.get("silverWindow").get("from").asText()).startsWith("2026-05-05T11:17:40");
    // a range silver no longer holds at all, while gold still does
    String q = "from=2018-03-07&to=2018-03-16";
    JsonNode gone = ok(trimmed, "/api/top-pages?" + q);
    assertThat(gone.get("rows")).isEmpty();
    assertThat(gone.get("silverWindow").isNull()).isTrue();
    assertThat(gone.get("note").asText())
        .startsWith("Single changes are kept from 2026-05-05T11:17:40")
        .endsWith("after this range: " + SILVER_PANELS + " have nothing to show.");
    assertThat(ok(trimmed, "/api/top-wikis?" + q).get("rows").get(0).get(1).asLong())
        .isEqualTo(3818 + 82);
    // on the untrimmed store a day has no note, nor has a range within silver
    assertThat(ok(duckdb, "/api/top-pages?from=2026-05-05&to=2026-05-06").get("note").isNull())
        .isTrue();
    assertThat(
            ok(trimmed, "/api/top-pages?from=2026-05-05T11:00:00Z&to=2026-05-05T12:00:00Z")
                .get("note")
                .isNull())
        .isTrue();
  }
}
