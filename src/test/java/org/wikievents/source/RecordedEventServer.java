package org.wikievents.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import okhttp3.HttpUrl;

/**
 * A real HTTP server on 127.0.0.1 that plays a recording the way Wikimedia EventStreams serves
 * {@code recentchange}: {@code text/event-stream}, each event with {@code event: message}, an id
 * that is a JSON array of topic-partition timestamps, and one {@code data:} line.
 *
 * <p>Position {@code i} of the recording gets the "Kafka timestamp" T(i), the running maximum of
 * {@code meta.dt} in ms up to it (whole seconds in old data), so ids are non-decreasing and several
 * events can share one. Like the real service it resumes at the first position whose T is at least
 * the timestamp in {@code Last-Event-ID}, re-sending the events that share it; {@code ?since=}
 * (ISO-8601 or epoch ms, else HTTP 400) starts at the first position at or after that time. Without
 * either it starts at the beginning of the recording (for the test, "now" is when it begins).
 *
 * <p>What each connection does is scripted like MockWebServer's {@code enqueue}: one {@link
 * Behaviour} per request, {@link Behaviour#serveAll()} once the script is used up. Every request is
 * recorded for {@link #takeRequest()}, and the server tracks how many connections were open at
 * once. Written raw on {@link ServerSocket} (HTTP/1.1, chunked, {@code Connection: close}) because
 * the tests need what higher-level servers hide: whether the client hung up a stalled connection,
 * and cutting a response cleanly or resetting the socket mid-event.
 */
public final class RecordedEventServer implements AutoCloseable {
  public static final String PATH = "/v2/stream/recentchange";
  public static final String TOPIC = "eqiad.mediawiki.recentchange";

  /** Lines the real feed might carry that are not valid events, each failing differently. */
  public static final List<String> MALFORMED =
      List.of(
          "this is not JSON",
          "{\"meta\":{\"id\":\"0c5ee0b4-1c4e-4e0f-9d6f-4f1f6c1a0001\",\"dt\":\"2026-05-05T11:1",
          "{\"meta\":{\"dt\":\"2026-05-05T11:17:50Z\",\"domain\":\"en.wikipedia.org\"},"
              + "\"type\":\"edit\",\"wiki\":\"enwiki\",\"title\":\"No id\"}");

  private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long a new connection waits for older ones to be seen closed before it counts them as
   * concurrent: a client hangs up and then reconnects, but the server may see the two in either
   * order. A client that keeps the old connection open longer than this is caught.
   */
  private static final Duration HANG_UP_GRACE = Duration.ofMillis(300);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> lines;
  private final long[] timestamps;
  private final ServerSocket serverSocket;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Behaviour> script = new LinkedBlockingQueue<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicLong eventsWritten = new AtomicLong();
  private final AtomicInteger furthestPosition = new AtomicInteger(-1);
  private final AtomicInteger hangUpsAfterEverything = new AtomicInteger();
  private final List<RecordedRequest> allRequests = new CopyOnWriteArrayList<>();
  private volatile long paceNanos;
  private final AtomicLong writeStartedNanos = new AtomicLong();
  private volatile boolean closed;

  private RecordedEventServer(List<String> lines, int port) throws IOException {
    this.lines = List.copyOf(lines);
    this.timestamps = kafkaTimestamps(this.lines);
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
    threads.execute(this::acceptLoop);
  }

  /** Starts serving {@code lines} (one JSON event per line) on a free port. */
  public static RecordedEventServer start(List<String> lines) throws IOException {
    return new RecordedEventServer(lines, 0);
  }

  /** Starts serving on {@code port}, e.g. one a client has been failing to reach. */
  public static RecordedEventServer start(List<String> lines, int port) throws IOException {
    return new RecordedEventServer(lines, port);
  }

  /** The lines of a vendored recording, e.g. {@code recentchange-2026-05-05-multiwiki}. */
  public static List<String> sample(String name) throws IOException {
    Path file = Path.of("samples", name + ".ndjson.gz");
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), UTF_8))) {
      List<String> out = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
      return out;
    }
  }

  /** The stream's URL. */
  public HttpUrl url() {
    return HttpUrl.get("http://127.0.0.1:" + serverSocket.getLocalPort() + PATH);
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  /** What the next connection does. */
  public void enqueue(Behaviour behaviour) {
    script.add(behaviour);
  }

  /** Waits this long between events (zero: as fast as the client reads). */
  public void pace(Duration perEvent) {
    paceNanos = perEvent.toNanos();
  }

  /** The SSE id this server gives the event at {@code position}. */
  public String idAt(int position) {
    return "[{\"topic\":\""
        + TOPIC
        + "\",\"partition\":0,\"timestamp\":"
        + timestamps[position]
        + "},{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"offset\":-1}]";
  }

  /** The "Kafka timestamp" of the event at {@code position}. */
  public long timestampAt(int position) {
    return timestamps[position];
  }

  /** The id of the last event of the recording. */
  public String lastId() {
    return idAt(lines.size() - 1);
  }

  public int size() {
    return lines.size();
  }

  /** The next request received, in order; fails if none comes within 10 s. */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest r = requests.poll(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no request within " + TAKE_TIMEOUT);
    }
    return r;
  }

  /** Takes requests until one matches; fails if none does within {@code timeout}. */
  public RecordedRequest takeRequestUntil(Predicate<RecordedRequest> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      RecordedRequest r = left > 0 ? requests.poll(left, TimeUnit.NANOSECONDS) : null;
      if (r == null) {
        throw new AssertionError("no matching request within " + timeout);
      }
      if (wanted.test(r)) {
        return r;
      }
    }
  }

  /** Requests received so far, taken or not. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Every request so far, in order, whether taken or not. */
  public List<RecordedRequest> requests() {
    return List.copyOf(allRequests);
  }

  /**
   * Connections that were sent the whole rest of the recording and then closed by the client. A
   * client only hangs up a quiet stream after its read watchdog fired, that is after it read
   * everything that was sent: so each is proof that a client (if still alive) holds every event.
   */
  public int hangUpsAfterEverything() {
    return hangUpsAfterEverything.get();
  }

  /** The most connections that were open at the same time. */
  public int maxConcurrentConnections() {
    return maxConcurrent.get();
  }

  /** Events written to sockets so far, re-sends included. */
  public long eventsWritten() {
    return eventsWritten.get();
  }

  /**
   * Whether a write of an event has been waiting for at least {@code d}: the socket buffers are
   * full because the client stopped reading.
   */
  public boolean writeBlockedFor(Duration d) {
    long started = writeStartedNanos.get();
    return started != 0 && System.nanoTime() - started >= d.toNanos();
  }

  /** Whether every position of the recording was written to some client at least once. */
  public boolean servedEverything() {
    return furthestPosition.get() >= lines.size() - 1;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closed = true;
    serverSocket.close();
    for (Connection c : open) {
      c.socket.close();
    }
    threads.shutdownNow();
    if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server threads did not stop");
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = serverSocket.accept();
        // Small buffers so that a client that stops reading soon stops this server writing.
        socket.setSendBufferSize(32 * 1024);
        socket.setTcpNoDelay(true);
        threads.execute(() -> serve(new Connection(socket)));
      } catch (IOException e) {
        if (!closed) {
          throw new IllegalStateException("accept failed", e);
        }
      }
    }
  }

  private void serve(Connection c) {
    try (Socket socket = c.socket) {
      long earlier = countEarlierStillOpen(c);
      open.add(c);
      maxConcurrent.accumulateAndGet((int) earlier + 1, Math::max);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      RecordedRequest request = readRequest(in);
      if (request == null) {
        return;
      }
      allRequests.add(request);
      requestCount.incrementAndGet();
      requests.add(request);
      Behaviour b = script.poll();
      respond(c, request, b == null ? Behaviour.serveAll() : b, in, out);
    } catch (IOException e) {
      // The client went away: that is its right.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      c.markClosed();
      open.remove(c);
    }
  }

  private long countEarlierStillOpen(Connection self) throws InterruptedException {
    long stillOpen = 0;
    long deadline = System.nanoTime() + HANG_UP_GRACE.toNanos();
    for (Connection other : open) {
      if (other != self
          && !other.closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        stillOpen++;
      }
    }
    return stillOpen;
  }

  private void respond(
      Connection c, RecordedRequest request, Behaviour b, InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    if (!PATH.equals(request.path())) {
      refuse(out, 404, -1, "no such stream");
      return;
    }
    if (b.kind() == Behaviour.Kind.REFUSE) {
      refuse(out, b.status(), b.retryAfterSeconds(), "refused by the test script");
      return;
    }
    int position;
    try {
      position = startPosition(request);
    } catch (IllegalArgumentException e) {
      refuse(out, 400, -1, e.getMessage());
      return;
    }
    out.write(
        ("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream; charset=utf-8\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n")
            .getBytes(UTF_8));
    out.flush();
    long limit = b.kind() == Behaviour.Kind.SERVE_ALL ? Long.MAX_VALUE : b.events();
    for (long sent = 0; sent < limit && position < lines.size() && !closed; sent++, position++) {
      long pace = paceNanos;
      if (pace > 0 && sent > 0) {
        TimeUnit.NANOSECONDS.sleep(pace);
      }
      writeStartedNanos.set(System.nanoTime());
      writeChunk(out, event(position));
      out.flush();
      writeStartedNanos.set(0);
      eventsWritten.incrementAndGet();
      furthestPosition.accumulateAndGet(position, Math::max);
    }
    switch (b.kind()) {
      case CUT -> {
        // Counted closed before the client can see the end, since it reconnects right away.
        c.markClosed();
        out.write("0\r\n\r\n".getBytes(UTF_8));
        out.flush();
      }
      case RESET -> {
        c.markClosed();
        writeHalfAnEvent(out, position);
        c.socket.setSoLinger(true, 0);
      }
      default -> {
        awaitHangUp(in);
        if (position >= lines.size() && !closed) {
          hangUpsAfterEverything.incrementAndGet();
        }
      }
    }
  }

  /** A live stream with nothing to say keeps the connection open; so does a stalled one. */
  private void awaitHangUp(InputStream in) {
    try {
      while (in.read() >= 0) {
        // A client sends nothing more on an SSE request; drain whatever it does send.
      }
    } catch (IOException e) {
      // The client (or close()) reset the connection.
    }
  }

  private void writeHalfAnEvent(OutputStream out, int position) throws IOException {
    String partial =
        position < lines.size()
            ? "event: message\nid: " + idAt(position) + "\ndata: {\"meta\":"
            : "event: mess";
    writeChunk(out, partial);
    out.flush();
  }

  private String event(int position) {
    return "event: message\nid: " + idAt(position) + "\ndata: " + lines.get(position) + "\n\n";
  }

  private static void writeChunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(UTF_8));
    out.write(bytes);
    out.write("\r\n".getBytes(UTF_8));
  }

  private static void refuse(OutputStream out, int status, long retryAfterSeconds, String message)
      throws IOException {
    byte[] body = (message + "\n").getBytes(UTF_8);
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(reason(status))
            .append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ")
            .append(body.length)
            .append("\r\nConnection: close\r\n");
    if (retryAfterSeconds >= 0) {
      head.append("Retry-After: ").append(retryAfterSeconds).append("\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(UTF_8));
    out.write(body);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private int startPosition(RecordedRequest request) {
    String lastEventId = request.header("Last-Event-ID");
    if (lastEventId != null) {
      return firstAtOrAfter(timestampIn(lastEventId));
    }
    String since = request.queryParameter("since");
    if (since != null) {
      return firstAtOrAfter(parseSince(since));
    }
    return 0;
  }

  private int firstAtOrAfter(long timestamp) {
    for (int i = 0; i < timestamps.length; i++) {
      if (timestamps[i] >= timestamp) {
        return i;
      }
    }
    return timestamps.length;
  }

  private static long timestampIn(String lastEventId) {
    try {
      for (JsonNode part : JSON.readTree(lastEventId)) {
        if (TOPIC.equals(part.path("topic").asText()) && part.has("timestamp")) {
          return part.get("timestamp").asLong();
        }
      }
    } catch (IOException e) {
      // Falls through to the message below.
    }
    throw new IllegalArgumentException("Last-Event-ID is not an EventStreams id: " + lastEventId);
  }

  private static long parseSince(String since) {
    if (since.matches("\\d+")) {
      return Long.parseLong(since);
    }
    try {
      return OffsetDateTime.parse(since).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(since).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("since is not a time: " + since);
      }
    }
  }

  /** Running maximum of meta.dt; lines without a readable one keep the previous timestamp. */
  private static long[] kafkaTimestamps(List<String> lines) {
    long[] t = new long[lines.size()];
    long max = 0;
    for (int i = 0; i < t.length; i++) {
      long dt = metaDtMillis(lines.get(i));
      max = Math.max(max, dt);
      t[i] = max;
    }
    // Leading lines without a time take the first real one, so no id carries timestamp 0.
    for (int i = 0; i < t.length && t[i] == 0; i++) {
      t[i] = max;
    }
    return t;
  }

  private static long metaDtMillis(String line) {
    try {
      String dt = JSON.readTree(line).path("meta").path("dt").asText(null);
      return dt == null ? 0 : OffsetDateTime.parse(dt).toInstant().toEpochMilli();
    } catch (IOException | DateTimeParseException e) {
      return 0;
    }
  }

  private static RecordedRequest readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too large");
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(UTF_8).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new RecordedRequest(
        requestLine[0],
        requestLine.length > 1 ? requestLine[1] : "",
        Collections.unmodifiableMap(headers),
        System.nanoTime());
  }

  /** One accepted socket; {@code closed} opens once this server saw it end. */
  private static final class Connection {
    final Socket socket;
    final CountDownLatch closed = new CountDownLatch(1);

    Connection(Socket socket) {
      this.socket = socket;
    }

    void markClosed() {
      closed.countDown();
    }
  }

  /**
   * What one connection does.
   *
   * @param events how many events before cutting, resetting or stalling
   * @param status the HTTP status of a refusal
   * @param retryAfterSeconds the {@code Retry-After} of a refusal, or -1 for none
   */
  public record Behaviour(Kind kind, long events, int status, long retryAfterSeconds) {
    public enum Kind {
      SERVE_ALL,
      CUT,
      RESET,
      STALL,
      REFUSE
    }

    /** Everything from the resume point on, then keep the connection open like a quiet stream. */
    public static Behaviour serveAll() {
      return new Behaviour(Kind.SERVE_ALL, Long.MAX_VALUE, 200, -1);
    }

    /** {@code n} events, then end the response cleanly, like the service's 15-minute cut. */
    public static Behaviour cutAfter(long n) {
      return new Behaviour(Kind.CUT, n, 200, -1);
    }

    /** {@code n} events and half of the next, then reset the connection. */
    public static Behaviour resetAfter(long n) {
      return new Behaviour(Kind.RESET, n, 200, -1);
    }

    /** {@code n} events, then nothing at all while keeping the connection open. */
    public static Behaviour stallAfter(long n) {
      return new Behaviour(Kind.STALL, n, 200, -1);
    }

    /** An error answer, with {@code Retry-After} when {@code retryAfterSeconds >= 0}. */
    public static Behaviour refuse(int status, long retryAfterSeconds) {
      return new Behaviour(Kind.REFUSE, 0, status, retryAfterSeconds);
    }

    public static Behaviour refuse(int status) {
      return refuse(status, -1);
    }
  }

  /**
   * One request as the server received it.
   *
   * @param target path and query, as sent
   * @param headers by lower-case name
   * @param receivedAtNanos {@link System#nanoTime()} when its head was read
   */
  public record RecordedRequest(
      String method, String target, Map<String, String> headers, long receivedAtNanos) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    public String queryParameter(String name) {
      HttpUrl url = HttpUrl.parse("http://127.0.0.1" + target);
      return url == null ? null : url.queryParameter(name);
    }

    /** Milliseconds from {@code earlier} to this request. */
    public long millisAfter(RecordedRequest earlier) {
      return (receivedAtNanos - earlier.receivedAtNanos) / 1_000_000;
    }
  }
}
