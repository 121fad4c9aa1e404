package org.wikievents.source;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSources;
import okio.Okio;
import org.wikievents.event.EventParser;
import org.wikievents.event.RawEvent;

/**
 * Replays a recording: NDJSON (one event per line, as the feed's {@code data:}) or a raw SSE
 * capture ({@code event:}/{@code id:}/{@code data:} lines), plain or gzip, told apart by content.
 * At {@code speed} 0 as fast as the sink takes them; otherwise paced by event time, {@code speed}
 * times real time.
 */
public final class RecordingSource implements EventSource {

  /** Lines longer than this are cut (and quarantined) so one bad line cannot exhaust memory. */
  static final int MAX_LINE_BYTES = 16 << 20;

  private static final Pattern SSE_FIELD = Pattern.compile("(data|event|id|retry)(:|$)");
  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream");

  private final Path file;
  private final double speed;
  private final EventParser parser = new EventParser();
  private final long totalBytes;
  private volatile long bytesRead;
  private final AtomicLong eventsRead = new AtomicLong();
  private volatile boolean closed;
  private volatile long strayLines;

  public RecordingSource(Path file, double speed) throws IOException {
    this.file = file;
    this.speed = speed;
    this.totalBytes = Files.size(file);
  }

  @Override
  public void run(EventSink sink) throws IOException, InterruptedException {
    Pacer pacer = new Pacer(speed);
    EventSink counted =
        event -> {
          if (closed) {
            throw new InterruptedException("closed");
          }
          if (speed > 0) {
            pacer.await(parser.eventTimeMillis(event));
          }
          sink.put(event);
          eventsRead.incrementAndGet();
        };
    try (InputStream in = open()) {
      if (looksLikeNdjson(in)) {
        readNdjson(in, counted);
      } else if (looksLikeSse(in)) {
        readSse(in, counted);
      } else {
        throw new IOException(
            file
                + " is neither NDJSON (one JSON event per line) nor an SSE capture"
                + " (event:/id:/data: lines)");
      }
    } catch (InterruptedException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  @Override
  public long eventsRead() {
    return eventsRead.get();
  }

  /** Lines of an SSE capture that were neither a field nor a comment, and were skipped. */
  public long strayLines() {
    return strayLines;
  }

  /** Bytes of the file read so far, and its size: for progress and ETA. */
  public long bytesRead() {
    return bytesRead;
  }

  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public void close() {
    closed = true;
  }

  private InputStream open() throws IOException {
    InputStream counting =
        new FilterInputStream(Files.newInputStream(file)) {
          @Override
          @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the reading thread
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
              bytesRead += n;
            }
            return n;
          }
        };
    BufferedInputStream in = new BufferedInputStream(counting, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }

  private static boolean looksLikeNdjson(InputStream in) throws IOException {
    in.mark(4096);
    try {
      for (int i = 0; i < 4096; i++) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
        if (!Character.isWhitespace(b)) {
          return b == '{';
        }
      }
      return false;
    } finally {
      in.reset();
    }
  }

  /** Whether the first line with content is an SSE field or comment. */
  private static boolean looksLikeSse(InputStream in) throws IOException {
    in.mark(4096);
    try {
      byte[] start = in.readNBytes(4096);
      String text = new String(start, StandardCharsets.ISO_8859_1);
      for (String line : text.split("\r?\n|\r", -1)) {
        if (!line.isBlank()) {
          return line.startsWith(":") || SSE_FIELD.matcher(line).lookingAt();
        }
      }
      return start.length == 0;
    } finally {
      in.reset();
    }
  }

  private void readNdjson(InputStream in, EventSink sink) throws IOException, InterruptedException {
    byte[] line = new byte[1 << 14];
    int len = 0;
    long dropped = 0;
    byte[] chunk = new byte[1 << 16];
    int n;
    while ((n = in.read(chunk)) > 0) {
      int start = 0;
      while (start < n) {
        int end = indexOf(chunk, start, n, (byte) '\n');
        // Copy the run up to the line's end (or the chunk's) at once, not byte by byte.
        int run = (end < 0 ? n : end) - start;
        int keep = Math.min(run, MAX_LINE_BYTES - len);
        if (len + keep > line.length) {
          line =
              Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, len + keep)));
        }
        System.arraycopy(chunk, start, line, len, keep);
        len += keep;
        dropped += run - keep;
        if (end < 0) {
          break;
        }
        emitLine(line, len, dropped, sink);
        len = 0;
        dropped = 0;
        start = end + 1;
      }
    }
    emitLine(line, len, dropped, sink);
  }

  private void emitLine(byte[] line, int len, long dropped, EventSink sink)
      throws InterruptedException {
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    if (len == 0 || isBlank(line, len)) {
      return;
    }
    String problem =
        dropped > 0
            ? "event too large: " + (len + dropped) + " bytes, only the first " + len + " were kept"
            : null;
    sink.put(
        RawEvent.fromBytes(
            RawEvent.REPLAY_STREAM,
            null,
            Arrays.copyOf(line, len),
            System.currentTimeMillis(),
            problem));
  }

  private static int indexOf(byte[] bytes, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(byte[] line, int len) {
    for (int i = 0; i < len; i++) {
      if (!Character.isWhitespace(line[i])) {
        return false;
      }
    }
    return true;
  }

  /** SSE captures are parsed by OkHttp's own SSE reader, fed the file as a response body. */
  private void readSse(InputStream in, EventSink sink) throws IOException, InterruptedException {
    Request request = new Request.Builder().url("http://recording.invalid/").build();
    SseLimiter limited = new SseLimiter(in, MAX_LINE_BYTES);
    Response response =
        new Response.Builder()
            .request(request)
            .protocol(Protocol.HTTP_1_1)
            .code(200)
            .message("OK")
            .body(ResponseBody.create(Okio.buffer(Okio.source(limited)), EVENT_STREAM, -1))
            .build();
    SseForwarder forwarder =
        new SseForwarder(RawEvent.REPLAY_STREAM, sink, null, System::currentTimeMillis);
    try {
      EventSources.processResponse(response, forwarder);
    } finally {
      strayLines = limited.strayLines();
    }
    if (forwarder.interrupted()) {
      throw new InterruptedException("replay stopped");
    }
    if (forwarder.failure() != null) {
      throw new IOException("cannot read SSE recording " + file, forwarder.failure());
    }
  }

  /** Sleeps so that events come out at {@code speed} times the pace of their event times. */
  private static final class Pacer {
    private final double speed;
    private long firstEventTime = -1;
    private long newestEventTime;
    private long startNanos;

    Pacer(double speed) {
      this.speed = speed;
    }

    void await(long eventTime) throws InterruptedException {
      if (eventTime < 0) {
        return;
      }
      if (firstEventTime < 0) {
        firstEventTime = eventTime;
        newestEventTime = eventTime;
        startNanos = System.nanoTime();
        return;
      }
      // Arrival order is not time order: pace on the newest time seen, never go back.
      newestEventTime = Math.max(newestEventTime, eventTime);
      long dueNanos = startNanos + (long) ((newestEventTime - firstEventTime) * 1e6 / speed);
      long waitNanos = dueNanos - System.nanoTime();
      if (waitNanos > 0) {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      }
    }
  }
}
