package org.wikievents.source;

import java.util.function.LongSupplier;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.wikievents.event.RawEvent;

/**
 * Receives what OkHttp's SSE reader parsed from one response and forwards each {@code message}
 * event to the sink on the reading thread, so a full sink stops the reading (backpressure).
 */
final class SseForwarder extends EventSourceListener {
  private final String stream;
  private final EventSink sink;
  private final LongSupplier clock;
  private String lastId;
  private long forwarded;
  private Throwable failure;
  private boolean interrupted;
  private RuntimeException sinkFailure;

  SseForwarder(String stream, EventSink sink, String lastId, LongSupplier clock) {
    this.stream = stream;
    this.sink = sink;
    this.lastId = lastId;
    this.clock = clock;
  }

  @Override
  public void onEvent(EventSource source, String id, String type, String data) {
    if (type != null && !type.equals("message")) {
      return;
    }
    if (id != null && !id.isEmpty()) {
      lastId = id;
    }
    try {
      sink.put(RawEvent.of(stream, id, data, clock.getAsLong()));
      forwarded++;
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
      source.cancel();
    } catch (RuntimeException e) {
      // The sink cannot take events at all (the broker refused us): not a fault of the feed.
      sinkFailure = e;
      source.cancel();
    }
  }

  @Override
  public void onFailure(EventSource source, Throwable t, Response response) {
    failure = t;
  }

  /** The newest SSE id seen, to resume from. */
  String lastId() {
    return lastId;
  }

  long forwarded() {
    return forwarded;
  }

  Throwable failure() {
    return failure;
  }

  RuntimeException sinkFailure() {
    return sinkFailure;
  }

  boolean interrupted() {
    return interrupted;
  }
}
