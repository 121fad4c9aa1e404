package org.wikievents.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.event.EventParser;
import org.wikievents.event.RawEvent;

/**
 * The loader's side of the broker: a consumer with manual acks and bounded prefetch. A batch is
 * acknowledged (all its deliveries at once) only after the store committed it. When the connection
 * is lost, everything delivered but not acknowledged is forgotten here: the broker delivers it
 * again on the next connection, and the store ignores the events it already has.
 *
 * <p>One thread takes and acks; deliveries arrive on the client's dispatch thread.
 */
final class RabbitConsumer {
  private static final Logger log = LoggerFactory.getLogger(RabbitConsumer.class);

  /** Bodies beyond this are cut and quarantined, so one huge message cannot exhaust memory. */
  static final int MAX_BODY_BYTES = 4 * EventParser.MAX_EVENT_BYTES;

  /** Headers are written by whoever can publish: kept to a sane length. */
  static final int MAX_HEADER_CHARS = 1024;

  private record Arrival(Channel channel, long tag, RawEvent event) {}

  private final RabbitSettings settings;
  private final RabbitTopology topology;
  // Bounded by the prefetch: the broker sends no more than that unacknowledged.
  private final BlockingQueue<Arrival> arrived = new LinkedBlockingQueue<>();
  private volatile Connection connection;
  private volatile Channel channel;
  private volatile boolean broken = true;
  private volatile boolean finished;
  private volatile String consumerTag = "";
  private volatile long quietSince = System.nanoTime();
  // Delivery tags on the current channel: while the loader holds deliveries it has not acked yet
  // (a batch being committed, with the prefetch window full), the broker sends nothing, and that
  // silence is not the queue being empty.
  private volatile long lastDelivered;
  private volatile long lastAcked;
  // Only the taking thread uses these.
  private volatile long nextAttempt = System.nanoTime();

  RabbitConsumer(RabbitSettings settings) {
    this.settings = settings;
    this.topology = new RabbitTopology(settings);
  }

  Batch take(int max, Duration linger) throws InterruptedException {
    long deadline = System.nanoTime() + linger.toNanos();
    if (finished) {
      return drainRest(max);
    }
    if (broken && !connect()) {
      long wait = Math.min(deadline - System.nanoTime(), nextAttempt - System.nanoTime());
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      return Batch.of(List.of());
    }
    Channel ch = channel;
    List<RawEvent> events = new ArrayList<>();
    long lastTag = 0;
    while (events.size() < max && !finished) {
      long left = deadline - System.nanoTime();
      // Only the first event is waited for; the rest are those already there.
      Arrival a =
          events.isEmpty() && left > 0 ? arrived.poll(left, TimeUnit.NANOSECONDS) : arrived.poll();
      if (a == null) {
        break;
      }
      if (a.channel() != ch) {
        continue; // delivered on a lost connection: the broker sends it again
      }
      events.add(a.event());
      lastTag = a.tag();
    }
    return new Batch(events, lastTag, ch);
  }

  private Batch drainRest(int max) {
    List<RawEvent> events = new ArrayList<>();
    long lastTag = 0;
    Channel ch = channel;
    Arrival a;
    while (events.size() < max && (a = arrived.poll()) != null) {
      if (a.channel() == ch && !broken) {
        events.add(a.event());
        lastTag = a.tag();
      }
    }
    return events.isEmpty() ? null : new Batch(events, lastTag, ch);
  }

  void ack(Batch batch) {
    if (batch.isEmpty()) {
      return;
    }
    // The loader may have taken later batches on a newer channel meanwhile: ack on the batch's own.
    Channel ch = (Channel) batch.ackScope();
    if (ch != channel || broken) {
      log.info(
          "not acknowledging {} events received before the connection was lost; the broker"
              + " delivers them again",
          batch.size());
      return;
    }
    try {
      ch.basicAck(batch.ackTag(), true);
      lastAcked = Math.max(lastAcked, batch.ackTag());
      quietSince = System.nanoTime();
    } catch (IOException | AlreadyClosedException e) {
      markBroken(ch, e.toString());
    }
  }

  /** Stops consuming; {@link #take} hands out what already arrived, then returns null. */
  void finish() {
    finished = true;
    Channel ch = channel;
    if (ch != null) {
      try {
        ch.basicCancel(consumerTag);
      } catch (IOException | AlreadyClosedException | IllegalArgumentException ignored) {
        // Nothing more will be taken anyway; unacknowledged deliveries return to the queue.
      }
    }
  }

  /**
   * How long nothing arrived while connected and nothing taken was left unacknowledged; zero while
   * disconnected.
   */
  Duration quietFor() {
    if (broken || !arrived.isEmpty() || lastAcked < lastDelivered) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(System.nanoTime() - quietSince);
  }

  int depth() {
    return arrived.size();
  }

  void close() {
    finished = true;
    Connection c = connection;
    if (c != null) {
      c.abort(1000);
    }
  }

  private boolean connect() {
    if (System.nanoTime() - nextAttempt < 0) {
      return false;
    }
    if (connection != null) {
      connection.abort(1000);
      connection = null;
    }
    arrived.clear();
    try {
      Connection c = topology.connect("loader");
      Channel ch = c.createChannel();
      ch.basicQos(settings.prefetch());
      ch.addShutdownListener(
          cause -> {
            if (!cause.isInitiatedByApplication()) {
              markBroken(ch, cause.getMessage());
            }
          });
      connection = c;
      channel = ch;
      lastDelivered = 0;
      lastAcked = 0;
      quietSince = System.nanoTime();
      broken = false;
      consumerTag = ch.basicConsume(settings.queue(), false, "", new Receiver(ch));
      log.info("consuming from queue {} at {}", settings.queue(), settings.maskedUri());
      return true;
    } catch (BrokerRefusedException e) {
      throw e;
    } catch (IOException | TimeoutException | RuntimeException e) {
      broken = true;
      long wait = topology.backoffMillis();
      nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
      log.warn(
          "cannot consume from {}: {}; retrying in {} ms",
          settings.maskedUri(),
          RabbitPublisher.reason(e),
          wait);
      return false;
    }
  }

  private void markBroken(Channel ch, String why) {
    if (ch != channel || broken) {
      return;
    }
    broken = true;
    if (!finished) {
      log.warn("lost the broker while consuming ({}); reconnecting", why);
    }
  }

  private final class Receiver extends DefaultConsumer {
    Receiver(Channel ch) {
      super(ch);
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      quietSince = System.nanoTime();
      lastDelivered = Math.max(lastDelivered, envelope.getDeliveryTag());
      arrived.add(
          new Arrival(
              getChannel(),
              envelope.getDeliveryTag(),
              toEvent(envelope.getRoutingKey(), props, body)));
    }

    @Override
    public void handleCancel(String consumerTag) {
      // The queue was deleted or its leader moved away: consume again on a new connection.
      markBroken(getChannel(), "the broker cancelled the consumer");
    }
  }

  /**
   * Whatever arrives becomes an event; what cannot be one is marked so the store quarantines it.
   */
  static RawEvent toEvent(String routingKey, AMQP.BasicProperties props, byte[] body) {
    Map<String, Object> h = props.getHeaders() == null ? Map.of() : props.getHeaders();
    String stream = text(h.get(RabbitPublisher.STREAM), MAX_HEADER_CHARS);
    String sseId = text(h.get(RabbitPublisher.SSE_ID), MAX_HEADER_CHARS);
    String problem = text(h.get(RabbitPublisher.PROBLEM), MAX_HEADER_CHARS);
    long receivedAt =
        h.get(RabbitPublisher.RECEIVED_AT) instanceof Number n
            ? n.longValue()
            : System.currentTimeMillis();
    int len = Math.min(body.length, MAX_BODY_BYTES);
    if (body.length > len) {
      problem = "event too large: " + body.length + " bytes, only the first " + len + " were kept";
    }
    if (stream == null || stream.isBlank()) {
      // Published by someone else than our reader: the routing key is the best name we have.
      stream = routingKey == null || routingKey.isBlank() ? "unknown" : text(routingKey, 255);
    }
    return RawEvent.fromBytes(
        stream, sseId, len == body.length ? body : Arrays.copyOf(body, len), receivedAt, problem);
  }

  private static String text(Object v, int max) {
    if (v == null) {
      return null;
    }
    String s = v.toString();
    return s.length() <= max ? s : s.substring(0, max);
  }
}
