package org.wikievents.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open live streams (SSE): who is connected, a bounded outbox per client and a cap on their
 * number. Writes never block: each client's stream is written with non-blocking servlet I/O, so one
 * client that stops reading costs only its own outbox; when that fills up the client is dropped
 * (the page reconnects). A client that disconnects is forgotten when its stream fails or ends,
 * without a log line at the default level.
 */
final class LiveClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveClients.class);
  static final int RETRY_AFTER_SECONDS = 5;

  /** One open stream: what it asked for, what was last sent to it, what waits to be written. */
  static final class Client implements WriteListener, AsyncListener {
    final ApiQuery query;
    private final LiveClients owner;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private ServletOutputStream out;
    private EndPoint endPoint;
    private boolean unflushed;
    private boolean closed;
    private volatile Object lastSent;

    private Client(LiveClients owner, ApiQuery query) {
      this.owner = owner;
      this.query = query;
    }

    /** What was last queued for this client (to send only what changed). */
    Object lastSent() {
      return lastSent;
    }

    /**
     * Queues an SSE event made by {@link #event} (shared by all clients it goes to); drops the
     * client when its outbox is full.
     */
    void send(byte[] event, Object identity) {
      lastSent = identity;
      offer(event);
    }

    /** Queues an SSE comment: keeps the connection open and finds clients that went away. */
    void sendComment(String text) {
      offer((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private void offer(byte[] message) {
      boolean full;
      synchronized (this) {
        if (closed) {
          return;
        }
        full = outbox.size() >= owner.outboxCapacity;
        if (!full) {
          outbox.add(message);
        }
      }
      if (full) {
        owner.slowDropped.incrementAndGet();
        log.debug("live client dropped: it stopped reading");
        abort();
      } else {
        drain();
      }
    }

    /** Writes what the socket takes now; the container calls back when it takes more. */
    private synchronized void drain() {
      if (closed || out == null) {
        return;
      }
      try {
        while (out.isReady()) {
          byte[] next = outbox.poll();
          if (next == null) {
            if (!unflushed) {
              return;
            }
            unflushed = false;
            out.flush();
          } else {
            out.write(next);
            unflushed = true;
          }
        }
      } catch (IOException | IllegalStateException e) {
        log.debug("live client gone: {}", e.toString());
        close();
      }
    }

    /** Ends the stream normally: the response completes. */
    void close() {
      if (markClosed()) {
        ended.complete(null);
      }
    }

    /**
     * Cuts the connection: a client that stopped reading may hold a pending write, which a normal
     * completion would wait for.
     */
    private void abort() {
      EndPoint e;
      synchronized (this) {
        e = endPoint;
      }
      if (markClosed()) {
        if (e != null) {
          e.close();
        }
        ended.complete(null);
      }
    }

    private synchronized boolean markClosed() {
      if (closed) {
        return false;
      }
      closed = true;
      outbox.clear();
      owner.clients.remove(this);
      return true;
    }

    boolean isClosed() {
      return closed;
    }

    @Override
    public void onWritePossible() {
      drain();
    }

    @Override
    public void onError(Throwable t) {
      log.debug("live client gone: {}", t.toString());
      close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
      close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      close();
    }

    @Override
    public void onError(AsyncEvent event) {
      close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** An SSE event, encoded once for every client it goes to. */
  static byte[] event(String name, String data) {
    return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final int maxClients;
  private final int outboxCapacity;
  private final AtomicLong slowDropped = new AtomicLong();

  /**
   * @param maxClients streams open at once; more are refused with 503 and {@code Retry-After}
   * @param outboxCapacity messages that may wait for one client before it is dropped as too slow
   */
  LiveClients(int maxClients, int outboxCapacity) {
    this.maxClients = maxClients;
    this.outboxCapacity = outboxCapacity;
  }

  /**
   * Opens a stream on the request, or answers 503 when {@code maxClients} are connected. The stream
   * stays open until the client goes away, is dropped, or {@link #close} is called.
   */
  Client open(Context ctx, ApiQuery query) {
    Client c = new Client(this, query);
    synchronized (clients) {
      if (clients.size() >= maxClients) {
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
            .json(java.util.Map.of("error", "too many live clients (" + maxClients + ")"));
        return null;
      }
      clients.add(c);
    }
    ctx.status(HttpStatus.OK);
    ctx.res().setCharacterEncoding("UTF-8");
    ctx.res().setContentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    ctx.future(
        () -> {
          AsyncContext async = ctx.req().getAsyncContext();
          async.setTimeout(0);
          async.addListener(c);
          try {
            ServletOutputStream out = ctx.res().getOutputStream();
            synchronized (c) {
              c.out = out;
              // The headers go out at once, before the first snapshot is read.
              c.unflushed = true;
              c.endPoint =
                  ServletContextRequest.getServletContextRequest(ctx.req())
                      .getConnectionMetaData()
                      .getConnection()
                      .getEndPoint();
            }
            out.setWriteListener(c);
          } catch (IOException | IllegalStateException e) {
            c.close();
          }
          return c.ended;
        });
    return c;
  }

  /** The streams open now. */
  List<Client> all() {
    return List.copyOf(clients);
  }

  int count() {
    return clients.size();
  }

  /** Clients dropped so far because they stopped reading. */
  long slowDropped() {
    return slowDropped.get();
  }

  @Override
  public void close() {
    for (Client c : List.copyOf(clients)) {
      c.close();
    }
  }
}
