package org.wikievents.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;
import org.wikievents.web.DashboardServer;

/**
 * Alerts end to end on real parts: a recording replayed into a real DuckDB file, the rules reading
 * it, and webhooks posted to a receiver on loopback that answers, is down, or hangs.
 */
class AlertsEndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Duration EVERY = Duration.ofMillis(100);
  private static final WebhookSender.Delivery FAST =
      new WebhookSender.Delivery(
          Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(500), DEADLINE);

  /** Spikes only: every wiki of the sample is 4× its usual; four pages have 40 changes or more. */
  private static final double WIKI_FACTOR = 3;

  private static final double PAGE_FACTOR = 40;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private WebhookReceiver receiver;

  @AfterEach
  void nothingElseArrived() throws Exception {
    try {
      if (receiver != null) {
        JsonNode extra = receiver.poll(Duration.ofMillis(300));
        assertThat(extra).as("no further post").isNull();
      }
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
      if (receiver != null) {
        receiver.close();
      }
    }
  }

  @Test
  void aReplayedSpikeFiresExactlyOneAlertPerSubject() throws Exception {
    receiver = WebhookReceiver.start(0);
    EventStore store = open(DuckDb.open(dir.resolve("a.duckdb")));
    StoreReader reader = open(store.reader());
    Pipeline pipeline = replay(Recordings.withSpike(Recordings.sample()), store, 0);
    Alerting alerting =
        open(
            alerting(
                settings(List.of(new Webhook(receiver.url(), Webhook.Format.JSON))),
                store,
                reader,
                pipeline));
    pipeline.awaitEnd();
    long afterEnd = alerting.evaluations();
    await("the rules ran over the whole store", () -> alerting.evaluations() >= afterEnd + 3);

    Set<String> expected = breaching(reader);
    assertThat(expected)
        .contains("wiki_spike " + Recordings.SPIKE_WIKI, "wiki_spike commonswiki")
        .contains("page_spike commonswiki:Category:Charadrius melodus");
    Map<String, Integer> firings = new LinkedHashMap<>();
    List<JsonNode> posts = new ArrayList<>();
    while (!firings.keySet().containsAll(expected)) {
      JsonNode a = receiver.take();
      posts.add(a);
      assertThat(a.get("source").asText()).isEqualTo("wiki-events");
      if (a.get("state").asText().equals("firing")) {
        firings.merge(a.get("rule").asText() + " " + a.get("subject").asText(), 1, Integer::sum);
      }
    }
    // More rounds over the same store: nothing fires again within the cool-down.
    long settled = alerting.evaluations();
    await("five more rounds", () -> alerting.evaluations() >= settled + 5);
    for (JsonNode a = receiver.poll(Duration.ofMillis(500));
        a != null;
        a = receiver.poll(Duration.ofMillis(500))) {
      posts.add(a);
      if (a.get("state").asText().equals("firing")) {
        firings.merge(a.get("rule").asText() + " " + a.get("subject").asText(), 1, Integer::sum);
      }
    }
    assertThat(firings).allSatisfy((subject, n) -> assertThat(n).as(subject).isEqualTo(1));
    JsonNode spike =
        posts.stream()
            .filter(p -> p.get("subject").asText().equals(Recordings.SPIKE_WIKI))
            .findFirst()
            .orElseThrow();
    assertThat(spike.get("rule").asText()).isEqualTo("wiki_spike");
    // Fired as soon as the replay crossed the threshold: the counts are those of that moment.
    assertThat(spike.get("message").asText())
        .matches(
            "spikewiki: \\d+ changes in the last hour, 4\\.0× its usual [0-9.]+ for Tuesday"
                + " 11:00 UTC");

    // The same alerts are kept, served and counted.
    try (DashboardServer web =
        DashboardServer.start(
            reader,
            registry,
            new DashboardServer.Settings(
                "127.0.0.1", 0, null, Duration.ofSeconds(1), () -> IngestState.none("test")))) {
      JsonNode api = new ObjectMapper().readTree(get(web, "/api/alerts"));
      assertThat(api.get("columns").toString())
          .isEqualTo("[\"time\",\"rule\",\"subject\",\"state\",\"message\"]");
      assertThat(api.get("rows")).hasSize(posts.size());
      String csv = get(web, "/api/alerts?format=csv");
      assertThat(csv.lines().findFirst().orElseThrow())
          .isEqualTo("time,rule,subject,state,message");
      assertThat(csv).contains("wiki_spike,spikewiki,firing,");
      String metrics = get(web, "/metrics");
      assertThat(metrics).contains("# HELP wiki_events_alerts_fired_total Alerts fired, by rule");
      long wikiFirings = firings.keySet().stream().filter(k -> k.startsWith("wiki_spike ")).count();
      assertThat(metrics)
          .contains("wiki_events_alerts_fired_total{rule=\"wiki_spike\"} " + wikiFirings + ".0")
          .contains("wiki_events_alerts_fired_total{rule=\"ingest_failing\"} 0.0");
    }
  }

  @Test
  void aReceiverThatIsDownGetsTheAlertsAfterItComesBack() throws Exception {
    int port = WebhookReceiver.closedPort();
    EventStore store = open(DuckDb.open(dir.resolve("a.duckdb")));
    StoreReader reader = open(store.reader());
    Pipeline pipeline = replay(Recordings.withSpike(List.of()), store, 0);
    HttpUrl url = WebhookReceiver.url(port);
    open(
        alerting(
            settings(List.of(new Webhook(url, Webhook.Format.JSON))), store, reader, pipeline));
    pipeline.awaitEnd();
    // Both alerts are kept while every post to the receiver fails.
    await("two alerts kept", () -> alertRows(reader) == 2);
    await("a failed post", () -> posts("failed") >= 2);
    assertThat(posts("delivered")).isZero();

    receiver = WebhookReceiver.start(port);
    Set<String> got = new TreeSet<>();
    got.add(receiver.take().get("rule").asText());
    got.add(receiver.take().get("rule").asText());
    assertThat(got).containsExactly("page_spike", "wiki_spike");
    await("both counted delivered", () -> posts("delivered") == 2);
  }

  @Test
  void aReceiverThatHangsDoesNotSlowIngest() throws Exception {
    receiver = WebhookReceiver.hanging();
    EventStore store = open(DuckDb.open(dir.resolve("a.duckdb")));
    StoreReader reader = open(store.reader());
    Pipeline spike = replay(Recordings.withPageSpike(List.of()), store, 0, registry);
    open(
        alerting(
            settings(List.of(new Webhook(receiver.url(), Webhook.Format.SLACK))),
            store,
            reader,
            spike));
    spike.awaitEnd();
    assertThat(receiver.awaitFirstRequest(DEADLINE)).isTrue();

    // While the post hangs (its timeout is 30 s), 46 s of the sample at 15× real time.
    List<String> lines = Recordings.sample();
    long start = System.nanoTime();
    Pipeline ingest =
        replay(lines, store, 15, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ingest.awaitEnd();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(receiver.hangingNow()).as("the post still unanswered").isEqualTo(1);
    assertThat(ingest.loader().totals().stored()).isEqualTo(lines.size());
    System.out.printf(
        "ingest while a webhook hangs: %d events in %d ms (the recording paced at 15x: %d ms)%n",
        lines.size(), millis, 46_000 / 15);
    JsonNode first = receiver.take();
    assertThat(first.fieldNames()).toIterable().containsExactly("text");
    assertThat(first.get("text").asText())
        .startsWith(":rotating_light: wiki-events page_spike firing: Categoria:");
    receiver.close();
    receiver = null;
  }

  private Alerting alerting(
      Alerting.Settings settings, EventStore store, StoreReader reader, Pipeline pipeline) {
    return Alerting.start(
        settings,
        store,
        reader,
        pipeline.loader()::state,
        false,
        EVERY,
        Clock.systemUTC(),
        FAST,
        registry);
  }

  private static Alerting.Settings settings(List<Webhook> hooks) {
    return new Alerting.Settings(
        hooks, WIKI_FACTOR, PAGE_FACTOR, Duration.ZERO, 0.05, Duration.ofHours(1));
  }

  private Pipeline replay(List<String> lines, EventStore store, double speed) throws Exception {
    return replay(lines, store, speed, registry);
  }

  private Pipeline replay(
      List<String> lines, EventStore store, double speed, PrometheusMeterRegistry registry)
      throws Exception {
    Path file = Recordings.write(Files.createTempFile(dir, "recording", ".ndjson"), lines);
    Pipeline p =
        Pipeline.start(
            new RecordingSource(file, speed),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(500, Duration.ofMillis(100), Duration.ofDays(1)),
            registry);
    open.add(p);
    return p;
  }

  /** What the rules see in the store now, as "rule subject". */
  private static Set<String> breaching(StoreReader reader) throws Exception {
    Set<String> out = new TreeSet<>();
    for (String s :
        SpikeRules.wiki(reader, WIKI_FACTOR, Alerting.WIKI_MIN_EVENTS).breaches().keySet()) {
      out.add("wiki_spike " + s);
    }
    for (String s :
        SpikeRules.page(reader, PAGE_FACTOR, Alerting.PAGE_MIN_EVENTS).breaches().keySet()) {
      out.add("page_spike " + s);
    }
    return out;
  }

  private static int alertRows(StoreReader reader) {
    try {
      Map<String, Object> p = new HashMap<>();
      Table t = reader.read(List.of("alerts"), p).table("alerts");
      return t.rows().size();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private double posts(String result) {
    var c = registry.find("wiki_events_alert_webhook_posts").tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  private static String get(DashboardServer web, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  private <T extends AutoCloseable> T open(T c) {
    open.add(c);
    return c;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Await.until(what, DEADLINE, condition::getAsBoolean);
  }
}
