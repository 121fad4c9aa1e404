package org.wikievents.queue;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Connections to the broker, and the exchanges and queues both roles declare at every connect.
 * Declaring is idempotent as long as the arguments stay the same; the broker refuses a queue
 * redeclared with other arguments (PRECONDITION_FAILED), so they are fixed here.
 */
final class RabbitTopology {
  private static final long MIN_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final RabbitSettings settings;
  private final ConnectionFactory factory = new ConnectionFactory();
  private int failures;

  RabbitTopology(RabbitSettings settings) {
    this.settings = settings;
    try {
      factory.setUri(settings.uri());
    } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the AMQP URI " + settings.maskedUri() + " is not valid");
    }
    // Our own reconnect loops decide what happens to unconfirmed and unacknowledged messages.
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout((int) Duration.ofSeconds(5).toMillis());
    factory.setHandshakeTimeout((int) Duration.ofSeconds(10).toMillis());
    factory.setRequestedHeartbeat(10);
  }

  /** A connection with the topology declared, or an exception saying why there is none. */
  Connection connect(String role) throws IOException, TimeoutException {
    Connection c = factory.newConnection("wiki-events " + role);
    try (Channel ch = c.createChannel()) {
      declare(ch);
    } catch (IOException | TimeoutException | RuntimeException e) {
      c.abort();
      throw e;
    }
    failures = 0;
    return c;
  }

  /** Milliseconds to wait before the next connection attempt: doubling, with jitter. */
  long backoffMillis() {
    long ceiling = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(failures, 10));
    failures++;
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private void declare(Channel ch) throws IOException {
    ch.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
    ch.exchangeDeclare(settings.deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
    ch.queueDeclare(
        settings.deadLetterQueue(), true, false, false, Map.of("x-queue-type", "quorum"));
    ch.queueBind(settings.deadLetterQueue(), settings.deadLetterExchange(), "");
    ch.queueDeclare(settings.queue(), true, false, false, queueArguments(settings));
    ch.queueBind(settings.queue(), settings.exchange(), "#");
  }

  /** The main queue's arguments, as documented in docs/distributed.md. */
  static Map<String, Object> queueArguments(RabbitSettings settings) {
    return Map.of(
        "x-queue-type", "quorum",
        "x-delivery-limit", settings.deliveryLimit(),
        "x-dead-letter-exchange", settings.deadLetterExchange());
  }
}
