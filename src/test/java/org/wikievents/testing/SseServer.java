package org.wikievents.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A loopback EventStreams: serves the first events of a recording with EventStreams-style ids
 * (Kafka offsets), one every {@code pace} ms, resumes after the offset in {@code Last-Event-ID},
 * then keeps the connection open, as the real service does.
 */
public final class SseServer implements AutoCloseable {
  private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

  /** How often the quiet stream gets a comment, as EventStreams keeps a connection open. */
  private static final Duration KEEPALIVE = Duration.ofMillis(200);

  private final List<String> events;
  private final long paceMillis;
  private final boolean endless;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicLong writeStartedNanos = new AtomicLong();
  private volatile boolean closed;

  public SseServer(Path recording, int count, long paceMillis) throws IOException {
    this(recording, count, paceMillis, false);
  }

  /** A feed that never runs dry: the recording over and over, as fast as the client reads. */
  public static SseServer endless(Path recording) throws IOException {
    return new SseServer(recording, Integer.MAX_VALUE, 0, true);
  }

  /** Serves these events' JSON, one every {@code paceMillis} ms. */
  public static SseServer of(List<String> events, long paceMillis) throws IOException {
    return new SseServer(List.copyOf(events), paceMillis, false);
  }

  private SseServer(Path recording, int count, long paceMillis, boolean endless)
      throws IOException {
    this(read(recording, count), paceMillis, endless);
  }

  private static List<String> read(Path recording, int count) throws IOException {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(recording)), StandardCharsets.UTF_8))) {
      return r.lines().limit(count).toList();
    }
  }

  private SseServer(List<String> events, long paceMillis, boolean endless) throws IOException {
    this.events = events;
    this.paceMillis = paceMillis;
    this.endless = endless;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/stream/recentchange", this::serve);
    server.setExecutor(pool);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/stream/recentchange";
  }

  public static String id(int offset) {
    return "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":"
        + offset
        + "}]";
  }

  public static int offset(String id) {
    Matcher m = OFFSET.matcher(id);
    if (!m.find()) {
      throw new AssertionError("no offset in " + id);
    }
    return Integer.parseInt(m.group(1));
  }

  /** The Last-Event-ID of each request so far ("none" when absent), in order. */
  public List<String> lastEventIds() {
    return List.copyOf(lastEventIds);
  }

  /**
   * Whether a write of an event has been waiting for at least {@code d}: the socket buffers are
   * full because the client stopped reading.
   */
  public boolean writeBlockedFor(Duration d) {
    long started = writeStartedNanos.get();
    return started != 0 && System.nanoTime() - started >= d.toNanos();
  }

  /** Events written to clients so far, over all connections. */
  public int sent() {
    return sent.get();
  }

  private void serve(HttpExchange ex) throws IOException {
    String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
    lastEventIds.add(last == null ? "none" : last);
    int from = last == null ? 0 : offset(last) + 1;
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (int i = from; (endless || i < events.size()) && !closed; i++) {
        String data = events.get(i % events.size());
        String frame = "event: message\nid: " + id(i) + "\ndata: " + data + "\n\n";
        writeStartedNanos.set(System.nanoTime());
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
        writeStartedNanos.set(0);
        sent.incrementAndGet();
        if (paceMillis > 0) {
          // The feed's pace: what this server plays, not a step of a test.
          Thread.sleep(paceMillis);
        }
      }
      while (!closed) { // nothing new: keep the stream open, as EventStreams does
        out.write(":\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(KEEPALIVE.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientLeft) {
      // the reader was killed or stopped
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    pool.shutdownNow();
  }
}
