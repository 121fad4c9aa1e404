package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API of the real server over a store filled by replaying the vendored 2026 sample. */
class DashboardApiTest {
  // Facts of the sample (samples/SOURCES.md).
  private static final String NEWEST = "2026-05-05T11:18:26.774Z";
  private static final int EVENTS = 2476;

  @TempDir static Path dir;
  private static DashboardFixture fixture;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    fixture = new DashboardFixture(dir, null).replay(DashboardFixture.SAMPLE);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fixture.url(path))).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode ok(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return json.readTree(r.body());
  }

  /** A column of a panel's rows. */
  private static List<JsonNode> column(JsonNode table, String name) {
    int i = -1;
    for (int c = 0; c < table.get("columns").size(); c++) {
      if (table.get("columns").get(c).asText().equals(name)) {
        i = c;
      }
    }
    assertThat(i).as("column " + name).isNotNegative();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode row : table.get("rows")) {
      out.add(row.get(i));
    }
    return out;
  }

  private static long sum(JsonNode table, String name) {
    return column(table, name).stream().mapToLong(JsonNode::asLong).sum();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kpis",
        "timeline",
        "timeline-hourly",
        "top-wikis",
        "types",
        "namespaces",
        "heatmap",
        "top-pages",
        "editors",
        "new-pages",
        "feed",
        "wikis"
      })
  void everyPanelAnswersAsOfTheNewestEventWithRows(String panel) throws Exception {
    JsonNode t = ok("/api/" + panel);
    assertThat(t.get("asOf").asText()).isEqualTo(NEWEST);
    assertThat(t.get("rows").size()).as(panel).isPositive();
  }

  @Test
  void windowsAreAnchoredOnTheNewestEventSoTheOldSampleFillsThem() throws Exception {
    assertThat(sum(ok("/api/timeline"), "events")).isEqualTo(EVENTS);
    assertThat(sum(ok("/api/timeline?range=7d"), "events")).isEqualTo(EVENTS);
    assertThat(sum(ok("/api/timeline-hourly"), "events")).isEqualTo(EVENTS);
    JsonNode k = ok("/api/kpis");
    assertThat(column(k, "events").get(0).asLong()).isEqualTo(EVENTS);
    assertThat(column(k, "wikis").get(0).asLong()).isEqualTo(70);
  }

  @Test
  void panelsAddUpToTheSampleByTypeAndWiki() throws Exception {
    JsonNode types = ok("/api/types");
    assertThat(column(types, "type").stream().map(JsonNode::asText))
        .containsExactly("categorize", "edit", "log", "new");
    assertThat(column(types, "events").stream().map(JsonNode::asLong))
        .containsExactly(1266L, 937L, 153L, 120L);
    JsonNode wikis = ok("/api/top-wikis");
    assertThat(wikis.get("rows")).hasSize(20);
    assertThat(column(wikis, "wiki").get(0).asText()).isEqualTo("commonswiki");
    assertThat(column(wikis, "events").get(0).asLong()).isEqualTo(1009);
    JsonNode timeline = ok("/api/timeline");
    assertThat(sum(timeline, "bot") + sum(timeline, "human")).isEqualTo(EVENTS);
    assertThat(sum(timeline, "anonymous") + sum(timeline, "registered")).isEqualTo(EVENTS);
    assertThat(sum(ok("/api/heatmap"), "events")).isEqualTo(EVENTS);
  }

  @Test
  void filtersApplyToEveryPanel() throws Exception {
    String q = "?wiki=commonswiki&type=categorize&bot=human";
    long events = sum(ok("/api/timeline" + q), "events");
    assertThat(events).isPositive().isLessThan(1009);
    assertThat(sum(ok("/api/top-wikis" + q), "events")).isEqualTo(events);
    assertThat(sum(ok("/api/types" + q), "events")).isEqualTo(events);
    assertThat(sum(ok("/api/namespaces" + q), "events")).isEqualTo(events);
    assertThat(column(ok("/api/kpis" + q), "events").get(0).asLong()).isEqualTo(events);
    for (String panel : List.of("feed", "top-pages", "new-pages", "editors", "page-spikes")) {
      JsonNode t = ok("/api/" + panel + q);
      if (t.get("columns").toString().contains("\"wiki\"")) {
        assertThat(column(t, "wiki")).allMatch(w -> w.asText().equals("commonswiki"));
      }
      if (t.get("columns").toString().contains("\"bot\"")) {
        assertThat(column(t, "bot")).allMatch(b -> !b.asBoolean());
      }
    }
    assertThat(column(ok("/api/feed" + q), "type")).allMatch(t -> t.asText().equals("categorize"));
    assertThat(sum(ok("/api/heatmap?wiki=enwiki"), "events")).isEqualTo(81);
    assertThat(column(ok("/api/editors?bot=bot"), "bot")).allMatch(JsonNode::asBoolean);
  }

  @Test
  void pageSpikesCompareTheLastTenMinutesWithTheFiftyBefore() throws Exception {
    // The sample lasts 46 s: every change is recent, so a page changed 5 times or more is a spike.
    JsonNode t = ok("/api/page-spikes");
    assertThat(column(t, "title").get(0).asText()).isEqualTo("Category:Charadrius melodus");
    assertThat(column(t, "events").get(0).asLong()).isEqualTo(49);
    assertThat(column(t, "events_before").get(0).asLong()).isZero();
    assertThat(column(t, "factor").get(0).asDouble()).isEqualTo(49.0);
    assertThat(column(t, "events")).allMatch(n -> n.asLong() >= 5);
  }

  @Test
  void aWikiFarAboveItsUsualForThisWeekdayHourIsASpike(@TempDir Path other) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode template = (ObjectNode) mapper.readTree(DashboardFixture.sampleLines().get(0));
    Instant now = Instant.parse("2026-05-05T11:30:00Z");
    List<String> lines = new ArrayList<>();
    // Three earlier weeks at this weekday-hour: other wikis were busy, spikewiki was quiet.
    for (int week = 1; week <= 3; week++) {
      lines.add(event(template, "otherwiki", now.minus(Duration.ofDays(7L * week))));
    }
    for (int i = 0; i < 100; i++) {
      lines.add(event(template, "spikewiki", now.minusSeconds(i)));
    }
    try (DashboardFixture f =
        new DashboardFixture(other, null)
            .replay(DashboardFixture.write(other.resolve("spike.ndjson"), lines))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(f.url("/api/spikes"))).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode t = json.readTree(r.body());
      assertThat(t.get("rows")).hasSize(1);
      // Usual: 100 events over the 4 clock hours of this slot the store has seen.
      assertThat(t.get("rows").get(0).toString()).isEqualTo("[\"spikewiki\",100,25.0,4.0]");
    }
  }

  private static String event(ObjectNode template, String wiki, Instant at) {
    ObjectNode e = template.deepCopy();
    ObjectNode meta = (ObjectNode) e.get("meta");
    meta.put("id", UUID.randomUUID().toString());
    meta.put("dt", at.toString());
    e.put("timestamp", at.getEpochSecond());
    e.put("wiki", wiki);
    return e.toString();
  }

  @Test
  void everyPanelDownloadsAsCsv() throws Exception {
    HttpResponse<String> r = get("/api/top-wikis?format=csv");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
    List<String> lines = r.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("wiki,events,bot");
    assertThat(lines.get(1)).isEqualTo("commonswiki,1009,339");
    assertThat(lines).hasSize(21);
    // Records end in CRLF; a comment may hold a bare line feed inside its quotes.
    assertThat(get("/api/feed?format=csv").body().split("\r\n")).hasSize(51);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/kpis?wiki=nowiki|unknown wiki 'nowiki'",
        "/api/kpis?wiki=en%20wiki|is not a wiki name",
        "/api/timeline?range=2d|range must be one of 24h, 1h, 7d",
        "/api/feed?range=1h|takes no range",
        "/api/types?type=vandalism|unknown type 'vandalism'",
        "/api/types?bot=maybe|bot must be 'bot' or 'human'",
        "/api/feed?format=xml|unknown format 'xml'",
        "/api/feed?limit=5|unknown parameter 'limit'",
        "/api/feed?wiki=enwiki&wiki=dewiki|given more than once",
        "/api/live?wiki=nowiki|unknown wiki 'nowiki'",
        "/api/kpis?wiki=x';DROP%20TABLE%20wiki;--|is not a wiki name",
      })
  void badParametersAreRefusedWithA400AndAMessage(String path, String message) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains(message);
    assertThat(ok("/api/wikis").get("rows").size()).isEqualTo(70);
  }

  @Test
  void everyResponseCarriesAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/", "/app.js", "/api/kpis", "/api/nothing", "/health")) {
      HttpResponse<String> r = get(path);
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValueSatisfying(
              v -> assertThat(v).contains("script-src 'self';").doesNotContain("unsafe-eval"));
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void thePageAndEChartsAreServedFromTheJarNotTheNetwork() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("/vendor/echarts/echarts.min.js")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(get("/vendor/echarts/echarts.min.js").statusCode()).isEqualTo(200);
    assertThat(get("/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/app.css").statusCode()).isEqualTo(200);
  }

  @Test
  void healthReportsTheStoreAndTheNewestEvent() throws Exception {
    JsonNode h = ok("/health");
    assertThat(h.get("status").asText()).isEqualTo("ok");
    assertThat(h.get("newestEvent").asText()).isEqualTo(NEWEST);
    assertThat(h.get("newestEventAgeSeconds").asLong()).isPositive();
    assertThat(h.get("ingest").get("state").asText()).isEqualTo("none");
    assertThat(h.get("ingest").get("detail").asText()).isEqualTo("test");
  }

  @Test
  void metricsArePrometheusTextWithTheLoaderCounters() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("wiki_events_received_total 2476.0")
        .contains("wiki_events_stored_total 2476.0")
        .contains("wiki_events_duplicates_total 0.0")
        .contains("wiki_events_quarantined_total 0.0")
        .contains("wiki_events_batch_commit_seconds_count")
        .contains("wiki_events_queue_depth")
        .contains("wiki_events_lag_seconds");
  }

  @Test
  void theLiveStreamStartsWithASnapshotOfEveryPanel() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(fixture.url("/api/live?wiki=enwiki")))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("event: snapshot");
      String data = in.readLine();
      assertThat(data).startsWith("data: ");
      JsonNode s = json.readTree(data.substring(6));
      assertThat(s.get("asOf").asText()).isEqualTo(NEWEST);
      assertThat(s.get("filter").get("wiki").asText()).isEqualTo("enwiki");
      for (Panel p : Panel.values()) {
        assertThat(s.get("panels").has(p.key())).as(p.key()).isTrue();
      }
      JsonNode top = s.get("panels").get("top_wikis");
      assertThat(top.get("rows")).hasSize(1);
      assertThat(top.get("rows").get(0).get(1).asLong()).isEqualTo(81);
    }
  }

  @Test
  void withAuthEverythingButHealthNeedsTheRightPassword(@TempDir Path other) throws Exception {
    try (DashboardFixture locked = new DashboardFixture(other, "alice:s3cr:et")) {
      String good = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes());
      String bad = "Basic " + Base64.getEncoder().encodeToString("alice:guess".getBytes());
      for (String path : List.of("/", "/api/kpis", "/api/live", "/metrics")) {
        HttpResponse<String> none = send(locked, path);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        assertThat(send(locked, path, "Authorization", bad).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> allowed = send(locked, "/api/kpis", "Authorization", good);
      assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
      assertThat(send(locked, "/", "Authorization", good).statusCode()).isEqualTo(200);
      assertThat(send(locked, "/health").statusCode()).isEqualTo(200);
    }
    assertThat(get("/api/kpis").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> send(DashboardFixture f, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(f.url(path))).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
