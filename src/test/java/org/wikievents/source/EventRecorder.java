package org.wikievents.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wikievents.event.RawEvent;

/** A sink that remembers what it was given, for asserting one event at a time. */
final class EventRecorder implements EventSink {
  private final BlockingQueue<RawEvent> events = new LinkedBlockingQueue<>();

  @Override
  public void put(RawEvent event) {
    events.add(event);
  }

  /** The next event delivered; fails if none comes within 10 s. */
  RawEvent takeEvent() throws InterruptedException {
    RawEvent e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no event within 10 s");
    }
    return e;
  }

  void assertNoMoreEvents() {
    assertThat(events).as("events nobody asserted").isEmpty();
  }
}
