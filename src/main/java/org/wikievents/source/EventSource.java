package org.wikievents.source;

import java.io.IOException;

/** Where events come from: the live feed or a recording. */
public interface EventSource extends AutoCloseable {

  /**
   * Reads events into {@code sink} on the calling thread until the input ends (a recording) or
   * {@link #close} is called (the live feed never ends by itself).
   */
  void run(EventSink sink) throws IOException, InterruptedException;

  /** Events read so far. */
  long eventsRead();

  /** Stops {@link #run} from another thread. */
  @Override
  void close();
}
