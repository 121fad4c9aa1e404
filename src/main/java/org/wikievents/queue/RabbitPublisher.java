package org.wikievents.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.event.RawEvent;

/**
 * The reader's side of the broker: persistent messages with publisher confirms. At most {@code
 * maxUnconfirmed} events wait for a confirm; beyond that {@link #put} blocks, so a slow or absent
 * broker stops the reader instead of filling its memory. Every unconfirmed event is kept until its
 * confirm arrives and is published again on a new connection when the old one is lost or a message
 * is nacked or returned (the store drops the duplicates this can make).
 *
 * <p>One thread puts; confirms arrive on the client's connection thread.
 */
final class RabbitPublisher {
  private static final Logger log = LoggerFactory.getLogger(RabbitPublisher.class);
  static final String STREAM = "stream";
  static final String SSE_ID = "sse_id";
  static final String RECEIVED_AT = "received_at";
  static final String PROBLEM = "problem";

  /** A broker that took messages but confirms none for this long is treated as lost. */
  private static final long STUCK_MILLIS = 30_000;

  private final RabbitSettings settings;
  private final RabbitTopology topology;
  private final Semaphore room;
  private final Object lock = new Object();
  // Guarded by lock: events in publish order by sequence number on the current channel.
  private final TreeMap<Long, Unconfirmed> unconfirmed = new TreeMap<>();
  private Channel current;
  private boolean broken = true;
  private long lastProgress = System.currentTimeMillis();
  private long confirmedCount;
  private final Map<String, String> confirmedIds = new ConcurrentHashMap<>();
  private volatile Connection connection;
  private volatile boolean closed;

  private static final class Unconfirmed {
    final RawEvent event;
    boolean confirmed;

    Unconfirmed(RawEvent event) {
      this.event = event;
    }
  }

  RabbitPublisher(RabbitSettings settings) {
    this.settings = settings;
    this.topology = new RabbitTopology(settings);
    this.room = new Semaphore(settings.maxUnconfirmed());
  }

  void put(RawEvent event) throws InterruptedException {
    while (!room.tryAcquire(200, TimeUnit.MILLISECONDS)) {
      checkConnection();
    }
    Channel ch = ensureChannel();
    synchronized (lock) {
      if (unconfirmed.isEmpty()) {
        lastProgress = System.currentTimeMillis(); // an idle spell is no missing confirm
      }
      // Kept before publishing: if the publish fails, recovery sends it again with the rest.
      unconfirmed.put(ch.getNextPublishSeqNo(), new Unconfirmed(event));
    }
    try {
      publish(ch, event);
    } catch (IOException | AlreadyClosedException e) {
      markBroken(ch, e.toString());
    }
  }

  /** Waits until the broker confirmed every event put so far. */
  void awaitConfirms() throws InterruptedException {
    ensureChannel();
    while (true) {
      synchronized (lock) {
        if (unconfirmed.isEmpty()) {
          return;
        }
        lock.wait(200);
      }
      checkConnection();
    }
  }

  /** The SSE id of the newest event per stream up to which every event is confirmed. */
  Map<String, String> confirmedIds() {
    return Map.copyOf(confirmedIds);
  }

  long confirmedCount() {
    synchronized (lock) {
      return confirmedCount;
    }
  }

  void close() {
    closed = true;
    Connection c = connection;
    if (c != null) {
      c.abort(1000);
    }
  }

  private void checkConnection() throws InterruptedException {
    synchronized (lock) {
      if (!broken
          && !unconfirmed.isEmpty()
          && System.currentTimeMillis() - lastProgress > STUCK_MILLIS) {
        log.warn("no publisher confirm for {} s; reconnecting", STUCK_MILLIS / 1000);
        broken = true;
      }
    }
    ensureChannel();
  }

  /** The channel to publish on; after a loss, reconnects (blocking, with backoff) and resends. */
  private Channel ensureChannel() throws InterruptedException {
    while (true) {
      synchronized (lock) {
        if (!broken) {
          return current;
        }
      }
      recover();
    }
  }

  private void recover() throws InterruptedException {
    if (connection != null) {
      connection.abort(1000);
      connection = null;
    }
    Channel ch = connectWithBackoff();
    List<Unconfirmed> again;
    synchronized (lock) {
      again = new ArrayList<>(unconfirmed.values());
      unconfirmed.clear();
      long seq = ch.getNextPublishSeqNo();
      for (Unconfirmed u : again) {
        u.confirmed = false;
        unconfirmed.put(seq++, u);
      }
      current = ch;
      broken = false;
      lastProgress = System.currentTimeMillis();
    }
    if (!again.isEmpty()) {
      log.info("publishing {} unconfirmed events again", again.size());
    }
    try {
      for (Unconfirmed u : again) {
        publish(ch, u.event);
      }
    } catch (IOException | AlreadyClosedException e) {
      markBroken(ch, e.toString());
    }
  }

  private Channel connectWithBackoff() throws InterruptedException {
    while (true) {
      if (closed) {
        throw new InterruptedException("publisher closed");
      }
      try {
        Connection c = topology.connect("reader");
        Channel ch = c.createChannel();
        ch.confirmSelect();
        listen(ch);
        ch.addShutdownListener(
            cause -> {
              if (!cause.isInitiatedByApplication()) {
                markBroken(ch, cause.getMessage());
              }
            });
        connection = c;
        log.info("publishing to exchange {} at {}", settings.exchange(), settings.maskedUri());
        return ch;
      } catch (BrokerRefusedException e) {
        throw e;
      } catch (IOException | TimeoutException | RuntimeException e) {
        long wait = topology.backoffMillis();
        log.warn(
            "cannot publish to {}: {}; retrying in {} ms", settings.maskedUri(), reason(e), wait);
        Thread.sleep(wait);
      }
    }
  }

  private void listen(Channel ch) {
    ch.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long tag, boolean multiple) {
            confirm(ch, tag, multiple);
          }

          @Override
          public void handleNack(long tag, boolean multiple) {
            markBroken(ch, "the broker refused message " + tag);
          }
        });
    // A returned message was routed nowhere (its queue vanished): it comes before its confirm, so
    // ignoring the channel's later confirms keeps it unconfirmed, and recovery re-declares and
    // resends.
    ch.addReturnListener(r -> markBroken(ch, "message returned: " + r.getReplyText()));
  }

  private void confirm(Channel ch, long tag, boolean multiple) {
    synchronized (lock) {
      if (ch != current || broken) {
        return;
      }
      if (multiple) {
        for (Unconfirmed u : unconfirmed.headMap(tag, true).values()) {
          u.confirmed = true;
        }
      } else {
        Unconfirmed u = unconfirmed.get(tag);
        if (u != null) {
          u.confirmed = true;
        }
      }
      // Confirms may come out of order: the resume point only moves over a confirmed prefix.
      while (!unconfirmed.isEmpty() && unconfirmed.firstEntry().getValue().confirmed) {
        RawEvent e = unconfirmed.pollFirstEntry().getValue().event;
        if (e.sseId() != null) {
          confirmedIds.put(e.stream(), e.sseId());
        }
        confirmedCount++;
        room.release();
      }
      lastProgress = System.currentTimeMillis();
      lock.notifyAll();
    }
  }

  private void markBroken(Channel ch, String why) {
    synchronized (lock) {
      if (ch != current || broken) {
        return;
      }
      broken = true;
      lock.notifyAll();
    }
    if (!closed) {
      log.warn("lost the broker while publishing ({}); reconnecting", why);
    }
  }

  private void publish(Channel ch, RawEvent e) throws IOException {
    Map<String, Object> headers = new HashMap<>();
    headers.put(STREAM, e.stream());
    headers.put(RECEIVED_AT, e.receivedAtMillis());
    if (e.sseId() != null) {
      headers.put(SSE_ID, e.sseId());
    }
    if (e.problem() != null) {
      headers.put(PROBLEM, e.problem());
    }
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .contentType("application/json")
            .headers(headers)
            .build();
    ch.basicPublish(settings.exchange(), e.stream(), true, props, e.utf8());
  }

  static String reason(Exception e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
