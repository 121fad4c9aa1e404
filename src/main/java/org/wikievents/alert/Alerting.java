package org.wikievents.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.load.IngestState;
import org.wikievents.store.Alert;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;

/**
 * Evaluates the alert rules on its own thread, on a fixed schedule, and for each alert that fires
 * or clears: counts it, keeps it in {@code wiki_alerts} and queues it for every webhook. The spike
 * rules run only when a batch was committed since they last ran. Nothing here is on the loader's
 * path: the loader is only asked for its state, and webhooks post from their own threads.
 */
public final class Alerting implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Alerting.class);

  /** Fewer changes than this in the hour is not a wiki spike, whatever the factor. */
  static final long WIKI_MIN_EVENTS = 50;

  /** Fewer changes than this in 10 minutes is not a page spike. */
  static final long PAGE_MIN_EVENTS = 10;

  static final Duration QUARANTINE_WINDOW = Duration.ofMinutes(10);
  static final long QUARANTINE_MIN_EVENTS = 100;
  static final Duration EVERY = Duration.ofSeconds(10);

  static final List<String> RULES =
      List.of("wiki_spike", "page_spike", "ingest_failing", "quarantine_rate");

  /**
   * What to watch and whom to tell; a threshold of zero turns its rule off.
   *
   * @param wikiFactor a wiki's last hour against its usual for this weekday-hour (at least 3)
   * @param pageFactor a page's last 10 minutes against its rate in the 50 before (at least 3)
   * @param ingestStale nothing committed, or the newest event this old
   * @param quarantineShare the share of arriving events quarantined, over 10 minutes
   * @param coolDown a subject fires at most once in this time
   */
  public record Settings(
      List<Webhook> webhooks,
      double wikiFactor,
      double pageFactor,
      Duration ingestStale,
      double quarantineShare,
      Duration coolDown) {
    public Settings {
      webhooks = List.copyOf(webhooks);
      for (double f : new double[] {wikiFactor, pageFactor}) {
        if (f != 0 && f < SpikeRules.PANEL_FACTOR) {
          throw new IllegalArgumentException(
              "a spike factor must be 0 (off) or at least 3, the Spikes panels' own");
        }
      }
      if (quarantineShare < 0 || quarantineShare >= 1) {
        throw new IllegalArgumentException("--alert-quarantine-share must be from 0 to below 1");
      }
      if (ingestStale.isNegative() || coolDown.isNegative()) {
        throw new IllegalArgumentException("alert durations cannot be negative");
      }
    }

    public static Settings defaults() {
      return new Settings(List.of(), 5, 10, Duration.ofMinutes(5), 0.05, Duration.ofHours(1));
    }
  }

  private final List<Rule> rules;
  private final Map<String, Counter> fired = new HashMap<>();
  private final CoolDown coolDown;
  private final EventStore store;
  private final Supplier<IngestState> ingest;
  private final Clock clock;
  private final List<WebhookSender> senders = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final AtomicLong evaluations = new AtomicLong();
  private volatile java.time.Instant lastSeenCommit;
  private boolean everEvaluated;

  private Alerting(
      Settings settings,
      EventStore store,
      StoreReader reader,
      Supplier<IngestState> ingest,
      boolean live,
      Clock clock,
      WebhookSender.Delivery delivery,
      MeterRegistry registry) {
    this.store = store;
    this.ingest = ingest;
    this.clock = clock;
    this.coolDown = new CoolDown(settings.coolDown());
    List<Rule> r = new ArrayList<>();
    if (settings.wikiFactor() > 0) {
      r.add(SpikeRules.wiki(reader, settings.wikiFactor(), WIKI_MIN_EVENTS));
    }
    if (settings.pageFactor() > 0) {
      r.add(SpikeRules.page(reader, settings.pageFactor(), PAGE_MIN_EVENTS));
    }
    if (live && !settings.ingestStale().isZero()) {
      r.add(IngestRules.failing(ingest, settings.ingestStale(), clock));
    }
    if (settings.quarantineShare() > 0) {
      r.add(
          IngestRules.quarantine(
              ingest, settings.quarantineShare(), QUARANTINE_WINDOW, QUARANTINE_MIN_EVENTS, clock));
    }
    this.rules = List.copyOf(r);
    for (String rule : RULES) {
      fired.put(
          rule,
          Counter.builder("wiki_events_alerts_fired")
              .description("Alerts fired, by rule (docs/alerts.md); a clearing is not counted")
              .tag("rule", rule)
              .register(registry));
    }
    Gauge.builder("wiki_events_alerts_active", this, a -> a.activeCount())
        .description("Alerts firing now and not yet cleared")
        .register(registry);
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    for (Webhook w : settings.webhooks()) {
      senders.add(new WebhookSender(w, http, delivery, registry));
    }
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "alerts");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts evaluating. {@code live} says whether the source is a live feed: a recording ends and
   * its events are old, so the ingest rule would only cry wolf.
   */
  public static Alerting start(
      Settings settings,
      EventStore store,
      StoreReader reader,
      Supplier<IngestState> ingest,
      boolean live,
      MeterRegistry registry) {
    Duration every = EVERY;
    if (live && !settings.ingestStale().isZero()) {
      // Often enough that the ingest alert fires close to its threshold.
      every = clamp(settings.ingestStale().dividedBy(4), Duration.ofMillis(250), EVERY);
    }
    return start(
        settings,
        store,
        reader,
        ingest,
        live,
        every,
        Clock.systemUTC(),
        WebhookSender.Delivery.defaults(),
        registry);
  }

  static Alerting start(
      Settings settings,
      EventStore store,
      StoreReader reader,
      Supplier<IngestState> ingest,
      boolean live,
      Duration every,
      Clock clock,
      WebhookSender.Delivery delivery,
      MeterRegistry registry) {
    Alerting a = new Alerting(settings, store, reader, ingest, live, clock, delivery, registry);
    for (WebhookSender s : a.senders) {
      s.start();
    }
    a.scheduler.scheduleWithFixedDelay(
        a::evaluateQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return a;
  }

  private static Duration clamp(Duration d, Duration lo, Duration hi) {
    return d.compareTo(lo) < 0 ? lo : d.compareTo(hi) > 0 ? hi : d;
  }

  /** How many times the rules ran. */
  long evaluations() {
    return evaluations.get();
  }

  private synchronized int activeCount() {
    return coolDown.activeCount();
  }

  private void evaluateQuietly() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      log.warn("evaluating alerts failed: {}", e.toString());
    } finally {
      evaluations.incrementAndGet();
    }
  }

  private synchronized void evaluate() {
    java.time.Instant commit = ingest.get().lastCommit();
    boolean committed = !everEvaluated || (commit != null && !commit.equals(lastSeenCommit));
    lastSeenCommit = commit;
    everEvaluated = true;
    for (Rule rule : rules) {
      if (rule.name().endsWith("_spike") && !committed) {
        continue;
      }
      Map<String, String> breaches;
      try {
        breaches = rule.breaches();
      } catch (StoreException e) {
        log.warn("alert rule {} could not read the store: {}", rule.name(), e.getMessage());
        continue;
      }
      for (Alert a : coolDown.update(rule.name(), breaches, clock.instant())) {
        publish(a);
      }
    }
  }

  private void publish(Alert a) {
    if (a.firing()) {
      fired.get(a.rule()).increment();
    }
    log.info("alert {} {} {}: {}", a.rule(), a.state(), a.subject(), a.message());
    try {
      store.recordAlert(a);
    } catch (StoreException e) {
      log.warn("could not keep the alert in wiki_alerts: {}", e.getMessage());
    }
    for (WebhookSender s : senders) {
      s.offer(a);
    }
  }

  /** Stops evaluating and posting; a post in flight may take up to its timeout. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(30, TimeUnit.SECONDS);
      for (WebhookSender s : senders) {
        s.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
