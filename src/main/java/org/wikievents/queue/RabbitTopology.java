package org.wikievents.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.wikievents.event.Backoff;

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
  private final Backoff backoff =
      Backoff.jittered(
          Duration.ofMillis(MIN_BACKOFF_MILLIS), Duration.ofMillis(MAX_BACKOFF_MILLIS));

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
    Connection c;
    try {
      c = factory.newConnection("wiki-events " + role);
    } catch (IOException e) {
      throw refusal(e).orElseThrow(() -> e);
    }
    try (Channel ch = c.createChannel()) {
      declare(ch);
    } catch (IOException e) {
      c.abort();
      throw refusal(e).orElseThrow(() -> e);
    } catch (TimeoutException | RuntimeException e) {
      c.abort();
      throw e;
    }
    backoff.reset();
    return c;
  }

  /**
   * A refusal that no retry can fix: the login (ACCESS_REFUSED at the handshake), the vhost
   * (NOT_ALLOWED, 530) or a permission on the exchange or queue (ACCESS_REFUSED, 403). A broker
   * that is down, restarting or unreachable is not one.
   */
  private Optional<BrokerRefusedException> refusal(IOException e) {
    String reason = null;
    if (e instanceof AuthenticationFailureException) {
      reason = "ACCESS_REFUSED (wrong user or password)";
    } else if (e.getCause() instanceof ShutdownSignalException s
        && s.getReason() instanceof AMQP.Connection.Close close
        && close.getReplyCode() == AMQP.NOT_ALLOWED
        // "vhost ... is down" passes while the broker starts or recovers: retry that one.
        && !String.valueOf(close.getReplyText()).contains("is down")) {
      reason = close.getReplyText();
    } else if (e.getCause() instanceof ShutdownSignalException s
        && s.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == AMQP.ACCESS_REFUSED) {
      reason = close.getReplyText();
    }
    if (reason == null) {
      return Optional.empty();
    }
    return Optional.of(
        new BrokerRefusedException(
            "the broker at "
                + settings.maskedUri()
                + " refused: "
                + reason
                + "; fix --amqp-uri (or "
                + RabbitSettings.URI_ENV
                + ")",
            e));
  }

  /** Milliseconds to wait before the next connection attempt: doubling, with jitter. */
  long backoffMillis() {
    return backoff.nextMillis();
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
