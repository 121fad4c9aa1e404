package org.wikievents.queue;

import java.io.IOException;
import java.time.Duration;
import org.wikievents.source.EventSink;

/**
 * The hop between a source and the loader: in memory on one machine, RabbitMQ across machines.
 * Events are taken in batches and acknowledged only after they were committed, so an event is never
 * lost between the two sides.
 */
public interface EventQueue extends EventSink, AutoCloseable {

  /**
   * Waits up to {@code linger} for the first event, then takes the events already waiting with it,
   * up to {@code max} (it does not wait for more: the loader commits as soon as nothing is
   * waiting). Returns an empty batch when none came, and null once the input is finished and
   * everything was taken.
   */
  Batch take(int max, Duration linger) throws InterruptedException, IOException;

  /**
   * The events of this batch, and of every batch taken before it, are committed to the store and
   * may be forgotten.
   */
  void ack(Batch batch) throws IOException;

  /** No more events will be put; {@link #take} returns null once the rest was taken. */
  void finishInput();

  /** Events waiting, for metrics; -1 if unknown. */
  int depth();

  @Override
  void close() throws IOException;
}
