package org.wikievents.queue;

import java.util.List;
import org.wikievents.event.RawEvent;

/**
 * Events taken from a queue together. They stay owned by the queue (unacknowledged) until {@link
 * EventQueue#ack} is called after the store committed them.
 *
 * @param ackTag what the queue needs to acknowledge them (a delivery tag for RabbitMQ)
 * @param ackScope what the tag is relative to (the RabbitMQ channel it was delivered on: a tag
 *     means nothing on another channel), or null
 */
public record Batch(List<RawEvent> events, long ackTag, Object ackScope) {
  public Batch {
    events = List.copyOf(events);
  }

  public static Batch of(List<RawEvent> events) {
    return new Batch(events, 0, null);
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  public int size() {
    return events.size();
  }
}
