package org.wikievents.source;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSources;
import okio.Okio;
import org.wikievents.event.Backoff;

/**
 * Follows one Wikimedia EventStreams stream for as long as it runs: one connection at a time,
 * resuming with {@code Last-Event-ID} after every cut (the server cuts each connection after 15
 * minutes), reconnecting when the stream stalls, backing off with jitter on errors and honouring
 * {@code Retry-After}. The SSE text is parsed by OkHttp's SSE reader.
 */
public final class SseEventSource implements EventSource {
  private static final long MAX_RETRY_AFTER_MILLIS = 600_000;

  private final SseSettings settings;
  private final OkHttpClient client;
  private final Backoff backoff;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile String lastEventId;
  private volatile Call current;
  private volatile boolean closed;
  private final AtomicLong eventsRead = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final SourceStatus status;

  public SseEventSource(SseSettings settings) {
    this(settings, new SourceStatus(Instant::now));
  }

  /** With the caller's status: the tests record through it each change the source reports. */
  SseEventSource(SseSettings settings, SourceStatus status) {
    this.settings = settings;
    this.status = status;
    this.lastEventId = settings.lastEventId();
    this.backoff = Backoff.jittered(settings.minBackoff(), settings.maxBackoff());
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(15))
            .readTimeout(settings.stallTimeout())
            .retryOnConnectionFailure(false)
            .build();
  }

  @Override
  public void run(EventSink sink) throws IOException, InterruptedException {
    try {
      while (!closed) {
        long delay = connectOnce(sink);
        if (closed) {
          break;
        }
        if (delay > 0) {
          // Not Thread.sleep: close() must end a wait of up to Retry-After's ten minutes.
          if (closing.await(delay, TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      }
    } catch (SourceException e) {
      status.refused(e.getMessage());
      throw e;
    } finally {
      status.stoppedUnlessRefused();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** One connection, start to end; returns how long to wait before the next. */
  private long connectOnce(EventSink sink) throws IOException, InterruptedException {
    Request request = request();
    Call call = client.newCall(request);
    current = call;
    if (closed) {
      // close() may have looked for a call to cancel just before this one was set.
      return 0;
    }
    connections.incrementAndGet();
    SseForwarder forwarder =
        new SseForwarder(settings.stream(), count(sink), lastEventId, System::currentTimeMillis);
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        return refused(response);
      }
      status.connected(
          "connected to "
              + settings.url()
              + (lastEventId == null ? "" : " (resuming after " + abbreviate(lastEventId) + ")"));
      EventSources.processResponse(limited(response), forwarder);
    } catch (SourceException e) {
      throw e;
    } catch (IOException e) {
      if (closed) {
        return 0;
      }
      long delay = backoff.nextMillis();
      status.retrying("cannot reach " + settings.url() + ": " + e, delay);
      return delay;
    } finally {
      lastEventId = forwarder.lastId();
      current = null;
    }
    if (forwarder.sinkFailure() != null) {
      throw forwarder.sinkFailure();
    }
    if (forwarder.interrupted()) {
      throw new InterruptedException("stopped while delivering an event");
    }
    if (closed) {
      return 0;
    }
    Throwable failure = forwarder.failure();
    if (forwarder.forwarded() > 0) {
      backoff.reset();
    }
    if (failure instanceof SocketTimeoutException) {
      status.cut(
          "stream "
              + settings.stream()
              + " stalled: nothing for "
              + settings.stallTimeout().toSeconds()
              + " s after "
              + forwarder.forwarded()
              + " events; reconnecting");
      return forwarder.forwarded() > 0 ? 0 : backoff.nextMillis();
    }
    if (failure != null) {
      long delay = backoff.nextMillis();
      status.retrying(
          "stream "
              + settings.stream()
              + " broke after "
              + forwarder.forwarded()
              + " events: "
              + failure,
          delay);
      return delay;
    }
    // A normal close (the 15-minute cut) is routine: come back at once, unless it sent nothing.
    long delay = forwarder.forwarded() > 0 ? 0 : backoff.nextMillis();
    status.cut(
        "stream "
            + settings.stream()
            + " cut by the server after "
            + forwarder.forwarded()
            + " events; reconnecting"
            + (delay > 0 ? " in " + delay + " ms" : ""));
    return delay;
  }

  /** The response with its body read through the event size cap. */
  private static Response limited(Response response) {
    ResponseBody body = response.body();
    SseLimiter limiter = new SseLimiter(body.byteStream(), RecordingSource.MAX_LINE_BYTES);
    return response
        .newBuilder()
        .body(ResponseBody.create(Okio.buffer(Okio.source(limiter)), body.contentType(), -1))
        .build();
  }

  private EventSink count(EventSink sink) {
    return event -> {
      sink.put(event);
      eventsRead.incrementAndGet();
      status.event();
    };
  }

  private long refused(Response response) throws IOException {
    int code = response.code();
    if (code == 429 || code == 408 || code >= 500) {
      long wait = Math.max(backoff.nextMillis(), retryAfterMillis(response));
      status.retrying(settings.url() + " answered HTTP " + code, wait);
      return wait;
    }
    String body = response.peekBody(200).string();
    String hint =
        code == 403
            ? " (Wikimedia refuses requests without a descriptive User-Agent: set --contact)"
            : "";
    throw new SourceException(
        settings.url()
            + " answered HTTP "
            + code
            + hint
            + (body.isBlank() ? "" : ": " + oneLine(body)));
  }

  /** {@code Retry-After} in seconds or as an HTTP date, capped; 0 when absent or unreadable. */
  static long retryAfterMillis(Response response) {
    String value = response.header("Retry-After");
    if (value == null) {
      return 0;
    }
    long millis;
    try {
      millis = Long.parseLong(value.trim()) * 1000;
    } catch (NumberFormatException e) {
      Instant at = response.headers().getInstant("Retry-After");
      if (at == null) {
        return 0;
      }
      millis = at.toEpochMilli() - System.currentTimeMillis();
    }
    return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, millis));
  }

  private Request request() {
    HttpUrl url = settings.url();
    Request.Builder b =
        new Request.Builder()
            .header("User-Agent", settings.userAgent())
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      // The server ignores `since` when Last-Event-ID is sent; resuming is what we want.
      b.header("Last-Event-ID", lastEventId);
    } else if (settings.since() != null) {
      url = url.newBuilder().setQueryParameter("since", settings.since()).build();
    }
    return b.url(url).build();
  }

  /** Connected, retrying or refused, for /health. */
  public SourceStatus status() {
    return status;
  }

  /** Connections opened so far; each after the first is a reconnect. */
  public long connections() {
    return connections.get();
  }

  @Override
  public long eventsRead() {
    return eventsRead.get();
  }

  @Override
  public void close() {
    closed = true;
    closing.countDown();
    Call call = current;
    if (call != null) {
      call.cancel();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /** The server refused us for good (bad URL, bad {@code since}, forbidden): retrying is futile. */
  public static final class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceException(String message) {
      super(message);
    }
  }
}
