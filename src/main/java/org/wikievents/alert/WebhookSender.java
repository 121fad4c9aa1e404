package org.wikievents.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.event.Backoff;
import org.wikievents.store.Alert;

/**
 * Posts alerts to one webhook from its own thread, in order, from a bounded queue: an alert that
 * finds the queue full is dropped (and counted) rather than wait. A failed post (no answer within
 * the timeout, or not 2xx) is retried with doubling backoff until it succeeds or the alert is older
 * than the give-up age, so a receiver that comes back within it still gets every alert.
 */
final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  static final int QUEUE = 256;

  private final Webhook webhook;
  private final OkHttpClient client;
  private final Delivery delivery;
  private final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private final Counter delivered;
  private final Counter failed;
  private final Counter dropped;
  private volatile boolean closed;

  WebhookSender(Webhook webhook, OkHttpClient shared, Delivery delivery, MeterRegistry registry) {
    this.webhook = webhook;
    this.delivery = delivery;
    this.client = shared.newBuilder().callTimeout(delivery.timeout()).build();
    String help = "Alert posts to webhooks, by result";
    this.delivered = counter(registry, "delivered", help);
    this.failed = counter(registry, "failed", help);
    this.dropped = counter(registry, "dropped", help);
    this.thread = new Thread(this::sendLoop, "alert-webhook");
    thread.setDaemon(true);
  }

  WebhookSender start() {
    thread.start();
    return this;
  }

  private static Counter counter(MeterRegistry registry, String result, String help) {
    return Counter.builder("wiki_events_alert_webhook_posts")
        .description(help + " (delivered; failed: an attempt that will be retried; dropped)")
        .tag("result", result)
        .register(registry);
  }

  /** Queues {@code alert}; never waits. */
  void offer(Alert alert) {
    if (!queue.offer(alert)) {
      dropped.increment();
      log.warn("alert queue for {} is full; dropped {} {}", webhook, alert.rule(), alert.subject());
    }
  }

  private void sendLoop() {
    try {
      while (!closed) {
        Alert a = queue.poll(200, TimeUnit.MILLISECONDS);
        if (a != null) {
          deliver(a);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Alert a) throws InterruptedException {
    Request request =
        new Request.Builder()
            .url(webhook.url())
            .header("User-Agent", "wiki-events-alerts")
            .post(RequestBody.create(Payloads.body(webhook.format(), a), JSON))
            .build();
    Backoff backoff = Backoff.doubling(delivery.minBackoff(), delivery.maxBackoff());
    for (int attempt = 1; !closed; attempt++) {
      String why;
      try (Response r = client.newCall(request).execute()) {
        if (r.isSuccessful()) {
          delivered.increment();
          return;
        }
        why = "HTTP " + r.code();
      } catch (IOException e) {
        why = String.valueOf(e.getMessage());
      }
      failed.increment();
      if (Duration.between(a.at(), Instant.now()).compareTo(delivery.giveUpAfter()) >= 0) {
        dropped.increment();
        log.warn("gave up posting {} {} to {}: {}", a.rule(), a.subject(), webhook, why);
        return;
      }
      log.info("posting an alert to {} failed (attempt {}): {}", webhook, attempt, why);
      Thread.sleep(backoff.nextMillis());
    }
  }

  /** Stops after the post in flight (bounded by the timeout); alerts still queued are lost. */
  void close() throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join(delivery.timeout().toMillis() + 1000);
  }

  /**
   * How posts are made.
   *
   * @param timeout the whole of one attempt, connect to last byte
   * @param minBackoff the wait after the first failure; doubles up to {@code maxBackoff}
   * @param giveUpAfter drop an alert not delivered by this age
   */
  record Delivery(
      Duration timeout, Duration minBackoff, Duration maxBackoff, Duration giveUpAfter) {
    static Delivery defaults() {
      return new Delivery(
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          Duration.ofHours(1));
    }
  }
}
