package org.wikievents.queue;

import java.util.List;
import org.wikievents.event.RawEvent;

/**
 * Events taken from a queue together. They stay owned by the queue (unacknowledged) until {@link
 * EventQueue#ack} is called after the store committed them.
 *
 * @param ackTag what the queue needs to acknowledge them (a delivery tag for RabbitMQ)
 */
public record Batch(List<RawEvent> events, long ackTag) {
  public Batch {
    events = List.copyOf(events);
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  public int size() {
    return events.size();
  }
}
