package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.wikievents.load.IngestState;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.clickhouse.ClickHouse;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.Samples;

/**
 * The dashboard's API served over a ClickHouse store answers byte for byte what it answers over the
 * DuckDB store of the same replayed sample: every panel, every window, JSON and CSV, with and
 * without filters. ClickHouse is the server named by {@code WIKI_EVENTS_CLICKHOUSE_URL}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseDashboardTest {
  private static final String NEWEST = "2026-05-05T11:18:26.774Z";
  private static final List<String> FILTERS =
      List.of(
          "", "wiki=commonswiki", "bot=bot", "bot=human&type=edit", "wiki=wikidatawiki&type=new");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> open = new ArrayList<>();
  private DashboardServer duckdb;
  private DashboardServer clickhouse;

  /** Once per class, in each test's setup, so a missing server skips each test visibly. */
  @BeforeEach
  void serveBothStores() throws Exception {
    ClickHouseServer.url();
    if (clickhouse != null) {
      return;
    }
    ClickHouseServer.Database db = ClickHouseServer.createDatabase("wiki_events_dashboard");
    open.add(db);
    EventStore store = ClickHouse.open(db.url(), false, Duration.ZERO);
    open.add(store);
    Samples.replay(Samples.MULTIWIKI_2026, store);
    StoreReader chReader = store.reader();
    open.add(chReader);
    StoreReader duckReader = DuckDb.openReader(Samples.multiwikiReplayed());
    open.add(duckReader);
    duckdb = serve(duckReader);
    clickhouse = serve(chReader);
  }

  private DashboardServer serve(StoreReader reader) {
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

  @Test
  void everyPanelWindowAndFilterAnswersTheSameJsonAndCsv() throws Exception {
    int nonEmpty = 0;
    for (Panel p : Panel.values()) {
      List<String> ranges = new ArrayList<>(p.ranges);
      ranges.add(null);
      for (String range : ranges) {
        for (String filter : FILTERS) {
          String query =
              filter + (range == null ? "" : (filter.isEmpty() ? "" : "&") + "range=" + range);
          String path = "/api/" + p.path + (query.isEmpty() ? "" : "?" + query);
          HttpResponse<String> want = get(duckdb, path);
          HttpResponse<String> got = get(clickhouse, path);
          assertThat(want.statusCode()).as(path).isEqualTo(200);
          assertThat(got.statusCode()).as(path + ": " + got.body()).isEqualTo(200);
          assertThat(got.body()).as(path).isEqualTo(want.body());
          if (json.readTree(got.body()).get("rows").size() > 0) {
            nonEmpty++;
          }
          String csv = path + (path.contains("?") ? "&" : "?") + "format=csv";
          assertThat(get(clickhouse, csv).body()).as(csv).isEqualTo(get(duckdb, csv).body());
        }
      }
    }
    assertThat(nonEmpty).as("answers with rows").isGreaterThan(50);
  }

  @Test
  void theWikiListAndItsCheckComeFromClickHouse() throws Exception {
    assertThat(get(clickhouse, "/api/wikis").body()).isEqualTo(get(duckdb, "/api/wikis").body());
    HttpResponse<String> unknown = get(clickhouse, "/api/kpis?wiki=nosuchwiki");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo(get(duckdb, "/api/kpis?wiki=nosuchwiki").body());
  }

  @Test
  void healthReportsTheClickHouseStoreReachableAsOfTheNewestEvent() throws Exception {
    HttpResponse<String> r = get(clickhouse, "/health");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode h = json.readTree(r.body());
    assertThat(h.get("status").asText()).isEqualTo("ok");
    assertThat(h.get("store").asText()).isEqualTo("reachable");
    assertThat(h.get("newestEvent").asText()).isEqualTo(NEWEST);
  }
}
