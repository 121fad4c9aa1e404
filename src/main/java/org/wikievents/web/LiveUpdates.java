package org.wikievents.web;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's live stream (SSE): a full snapshot on connect, then on every commit (pushed by {@link
 * #storeChanged}, or found by polling the store's version every interval) an {@code update} with
 * the feed rows committed since the client's last message and, at most once a second, the panels
 * that changed (see {@link LiveView}). Clients with the same filter and cursor share one read and
 * one encoded message. Commits that come while an update is being read fold into the next one.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  /**
   * The most often the panels are read again. New feed rows go out on every commit, since reading
   * them is cheap; the panels (thirteen aggregations) follow at most this often.
   */
  private static final Duration PANEL_EVERY = Duration.ofSeconds(1);

  /** How often an idle stream gets a comment: keeps proxies from closing it, finds dead clients. */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Map<SseClient, LiveView> clients = new ConcurrentHashMap<>();
  private final Reads reads;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean updatePending = new AtomicBoolean();
  private String version;
  private long lastPanelRead = System.nanoTime() - PANEL_EVERY.toNanos();
  private boolean panelsStale;
  private long lastKeepAlive = System.nanoTime();

  /** What the stream reads from the store. */
  interface Reads {
    /**
     * The newest batch, with {@code panels} every panel for the filter, and with {@code after >= 0}
     * the feed rows committed after that batch.
     */
    LiveView.Read read(ApiQuery query, long after, boolean panels) throws Exception;

    /** Changes whenever the store does (cheap to read). */
    String version() throws Exception;
  }

  /**
   * @param poll how often the store's version is checked, for commits nobody pushes (those of a
   *     loader in another process)
   */
  LiveUpdates(Reads reads, Duration poll) {
    this.reads = reads;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-live");
              t.setDaemon(true);
              return t;
            });
    long ms = poll.toMillis();
    worker.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  void connect(SseClient client, ApiQuery query) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    try {
      LiveView view = new LiveView(query);
      client.sendEvent("snapshot", view.snapshot(reads.read(query, -1, true)));
      clients.put(client, view);
    } catch (Exception e) {
      log.warn("live stream not started: {}", e.getMessage());
      client.close();
    }
  }

  /** A batch was committed: send the clients what changed, as soon as the last update is out. */
  void storeChanged() {
    if (clients.isEmpty() || updatePending.getAndSet(true)) {
      return;
    }
    try {
      worker.execute(this::update);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  int clientCount() {
    return clients.size();
  }

  private void poll() {
    if (clients.isEmpty()) {
      return;
    }
    try {
      String v = reads.version();
      if (!Objects.equals(v, version)) {
        version = v;
        update();
      }
    } catch (Exception e) {
      log.warn("live update failed: {}", e.getMessage());
    }
    // Also while the store changes: a client whose filter matched nothing new was sent nothing, and
    // the server closes a connection idle for 30 s.
    long now = System.nanoTime();
    if (now - lastKeepAlive >= KEEP_ALIVE.toNanos()) {
      lastKeepAlive = now;
      clients.keySet().forEach(c -> c.sendComment("unchanged"));
    }
  }

  private void update() {
    updatePending.set(false);
    long now = System.nanoTime();
    boolean panels = now - lastPanelRead >= PANEL_EVERY.toNanos();
    if (panels) {
      lastPanelRead = now;
      panelsStale = false;
    } else if (!panelsStale) {
      // The feed goes out now; the panels follow when they are due.
      panelsStale = true;
      worker.schedule(
          this::update, lastPanelRead + PANEL_EVERY.toNanos() - now, TimeUnit.NANOSECONDS);
    }
    Map<String, LiveView.Read> readsByCursor = new HashMap<>();
    // Clients that were sent the same panels get the same message, encoded once.
    Map<String, Map<Object, String>> encoded = new HashMap<>();
    for (Map.Entry<SseClient, LiveView> e : clients.entrySet()) {
      SseClient client = e.getKey();
      LiveView view = e.getValue();
      if (client.terminated()) {
        clients.remove(client);
        continue;
      }
      try {
        String key = view.query().filterKey() + "@" + view.cursor();
        LiveView.Read r = readsByCursor.get(key);
        if (r == null) {
          r = reads.read(view.query(), view.cursor(), panels);
          readsByCursor.put(key, r);
        }
        LiveView.Read read = r;
        String message =
            encoded
                .computeIfAbsent(key, k -> new IdentityHashMap<>())
                .computeIfAbsent(view.sentPanels(), p -> view.update(read));
        view.sent(read);
        if (!message.isEmpty()) {
          client.sendEvent("update", message);
        }
      } catch (Exception ex) {
        log.warn("live update failed: {}", ex.getMessage());
      }
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    for (SseClient c : clients.keySet()) {
      c.close();
    }
    clients.clear();
  }
}
