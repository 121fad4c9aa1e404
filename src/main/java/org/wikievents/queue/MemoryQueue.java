package org.wikievents.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wikievents.event.RawEvent;

/** A bounded in-process queue: a full queue blocks the source, so memory stays bounded. */
public final class MemoryQueue implements EventQueue {
  private final BlockingQueue<RawEvent> events;
  private volatile boolean inputFinished;

  public MemoryQueue(int capacity) {
    this.events = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void put(RawEvent event) throws InterruptedException {
    events.put(event);
  }

  @Override
  public Batch take(int max, Duration linger) throws InterruptedException {
    List<RawEvent> taken = new ArrayList<>(Math.min(max, 4096));
    events.drainTo(taken, max);
    if (taken.isEmpty()) {
      // Read the flag before the queue: after the last put it is set, so an empty queue then
      // really is the end.
      boolean finished = inputFinished;
      if (finished && events.isEmpty()) {
        return null;
      }
      RawEvent first = events.poll(linger.toNanos(), TimeUnit.NANOSECONDS);
      if (first != null) {
        taken.add(first);
        events.drainTo(taken, max - 1);
      }
    }
    return Batch.of(taken);
  }

  @Override
  public void ack(Batch batch) {}

  @Override
  public void finishInput() {
    inputFinished = true;
  }

  @Override
  public int depth() {
    return events.size();
  }

  @Override
  public void close() {}
}
