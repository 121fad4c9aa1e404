package org.wikievents.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/** The example rules in docs/prometheus-alerts.yml name only metrics a loader exports. */
class PrometheusRulesTest {
  private static final Pattern METRIC = Pattern.compile("wiki_events_[a-z_]+");

  /** Registered by {@code run} for a live source only (it counts SSE reconnects). */
  private static final String LIVE_ONLY = "wiki_events_reconnects_total";

  @TempDir Path dir;

  @Test
  void everyMetricTheRulesNameIsExported() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Path file = Recordings.write(dir.resolve("r.ndjson"), Recordings.sample().subList(0, 100));
    try (EventStore store = DuckDb.open(dir.resolve("a.duckdb"));
        StoreReader reader = store.reader()) {
      Pipeline p =
          Pipeline.start(
              new RecordingSource(file, 0),
              new MemoryQueue(1000),
              store,
              Loader.Settings.defaults(),
              registry);
      try (Alerting a =
          Alerting.start(
              new Alerting.Settings(
                  List.of(new Webhook(WebhookReceiver.url(9), Webhook.Format.JSON)),
                  5,
                  10,
                  Duration.ofMinutes(5),
                  0.05,
                  Duration.ofHours(1)),
              store,
              reader,
              p.loader()::state,
              false,
              Duration.ofMinutes(1),
              Clock.systemUTC(),
              WebhookSender.Delivery.defaults(),
              registry)) {
        p.awaitEnd();
      }
    }
    String scrape = registry.scrape();
    Set<String> named = new TreeSet<>();
    Matcher m = METRIC.matcher(Files.readString(Path.of("docs/prometheus-alerts.yml")));
    while (m.find()) {
      named.add(m.group());
    }
    assertThat(named).contains("wiki_events_alerts_fired_total", LIVE_ONLY);
    named.remove(LIVE_ONLY);
    for (String name : named) {
      assertThat(scrape).as(name).containsPattern("(?m)^" + name + "[{ ]");
    }
  }
}
