package org.wikievents.queue;

import java.time.Duration;
import java.util.Map;
import org.wikievents.event.RawEvent;

/**
 * The queue between processes, and machines: readers {@link #put} into a durable RabbitMQ exchange
 * with publisher confirms, loaders {@link #take} from a durable quorum queue and {@link #ack} after
 * the store committed. Each side connects on first use and reconnects by itself (with backoff)
 * whenever the broker goes away; a reader blocks meanwhile, so nothing piles up in memory.
 *
 * <p>Delivery is at least once on every hop; the store drops what arrives twice (by {@code
 * meta.id}). See docs/distributed.md.
 */
public final class RabbitQueue implements EventQueue {
  private final RabbitSettings settings;
  private final RabbitPublisher publisher;
  private final RabbitConsumer consumer;

  public RabbitQueue(RabbitSettings settings) {
    this.settings = settings;
    this.publisher = new RabbitPublisher(settings);
    this.consumer = new RabbitConsumer(settings);
  }

  public RabbitSettings settings() {
    return settings;
  }

  /** Blocks while too many events wait for a confirm, or while the broker is unreachable. */
  @Override
  public void put(RawEvent event) throws InterruptedException {
    publisher.put(event);
  }

  /**
   * Waits until the broker confirmed every event put so far, connecting (and declaring the exchange
   * and queue) first if need be.
   */
  public void awaitConfirms() throws InterruptedException {
    publisher.awaitConfirms();
  }

  /**
   * Per live stream, the SSE id of the newest event such that it and all before it are confirmed by
   * the broker: where a restarted reader may resume without losing anything.
   */
  public Map<String, String> confirmedIds() {
    return publisher.confirmedIds();
  }

  /** Events confirmed by the broker so far. */
  public long confirmed() {
    return publisher.confirmedCount();
  }

  @Override
  public Batch take(int max, Duration linger) throws InterruptedException {
    return consumer.take(max, linger);
  }

  @Override
  public void ack(Batch batch) {
    consumer.ack(batch);
  }

  /** Stops consuming: {@link #take} returns what already arrived, then null. */
  @Override
  public void finishInput() {
    consumer.finish();
  }

  /** How long nothing arrived while connected to the broker; zero while disconnected. */
  public Duration quietFor() {
    return consumer.quietFor();
  }

  @Override
  public int depth() {
    return consumer.depth();
  }

  @Override
  public void close() {
    publisher.close();
    consumer.close();
  }
}
