package org.wikievents.alert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server): records every body posted to it, and
 * answers 200, or hangs without answering until {@link #close}. Bounded: four handler threads.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String PATH = "/hook";
  private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(20);

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final CountDownLatch firstRequest = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger hanging = new AtomicInteger();
  private final boolean hang;

  private WebhookReceiver(int port, boolean hang) throws IOException {
    this.hang = hang;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 16);
    server.createContext(PATH, this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** Answers 200 to every post. */
  static WebhookReceiver start(int port) throws IOException {
    return new WebhookReceiver(port, false);
  }

  /** Reads each post, then never answers. */
  static WebhookReceiver hanging() throws IOException {
    return new WebhookReceiver(0, true);
  }

  /** A port nothing listens on now (for a receiver that is down). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static HttpUrl url(int port) {
    return HttpUrl.get("http://127.0.0.1:" + port + PATH);
  }

  HttpUrl url() {
    return url(server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      assertThat(ex.getRequestMethod()).isEqualTo("POST");
      assertThat(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json");
      received.add(json.readTree(new String(body, UTF_8)));
      firstRequest.countDown();
      if (hang) {
        hanging.incrementAndGet();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        hanging.decrementAndGet();
        return;
      }
      ex.sendResponseHeaders(200, -1);
    }
  }

  /** The next body posted, waiting for it. */
  JsonNode take() throws InterruptedException {
    JsonNode n = received.poll(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(n).as("a post within " + TAKE_TIMEOUT).isNotNull();
    return n;
  }

  /** The next body posted within {@code timeout}, or null. */
  JsonNode poll(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean awaitFirstRequest(Duration timeout) throws InterruptedException {
    return firstRequest.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Requests being held unanswered right now. */
  int hangingNow() {
    return hanging.get();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
