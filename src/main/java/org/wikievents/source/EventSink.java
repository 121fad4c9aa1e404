package org.wikievents.source;

import org.wikievents.event.RawEvent;

/** Where a source puts what it reads. Blocks when full: that is the backpressure. */
@FunctionalInterface
public interface EventSink {
  void put(RawEvent event) throws InterruptedException;
}
