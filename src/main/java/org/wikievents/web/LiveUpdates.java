package org.wikievents.web;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's live stream (SSE): a full snapshot on connect, then on every commit (pushed by {@link
 * #storeChanged}, or found by polling the store's version every interval) an {@code update} with
 * the feed rows committed since the client's last message and, at most once a second and in an
 * update of their own, the panels that changed (see {@link LiveView}). Feed rows and panels are
 * read on two threads, so new rows never wait for the panels' aggregations. Clients with the same
 * filter and cursor share one read and one encoded message; commits that come while an update is
 * being read fold into the next one. The first snapshots are read on a small bounded pool; the
 * streams themselves are {@link LiveClients}.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
  private static final int POOL_THREADS = 2;
  private static final int MAX_CACHED_FILTERS = 256;

  /**
   * The most often the panels are read again. New feed rows go out on every commit, since reading
   * them is cheap; the panels (thirteen aggregations) follow at most this often.
   */
  private static final Duration PANEL_EVERY = Duration.ofSeconds(1);

  /** How often an idle stream gets a comment: keeps proxies from closing it, finds dead clients. */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final LiveClients clients;
  private final Map<LiveClients.Client, LiveView> views = new ConcurrentHashMap<>();
  private final Reads reads;
  private final ScheduledExecutorService worker;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService panelWorker;
  private final AtomicBoolean updatePending = new AtomicBoolean();
  private final AtomicBoolean panelsWanted = new AtomicBoolean();
  private final AtomicBoolean panelsScheduled = new AtomicBoolean();
  private String version;
  private long lastKeepAlive = System.nanoTime();
  private volatile long lastPanelRead = System.nanoTime() - PANEL_EVERY.toNanos();
  private volatile Cached cached = new Cached("", new ConcurrentHashMap<>());

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
  LiveUpdates(Reads reads, Duration poll, int maxClients) {
    this.reads = reads;
    this.clients = new LiveClients(maxClients, 8);
    this.worker = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-live"));
    this.panelWorker = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-live-panels"));
    // Bounded both ways: two readers, and no more waiting first snapshots than clients allowed.
    this.pool =
        new ThreadPoolExecutor(
            POOL_THREADS,
            POOL_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, maxClients)),
            daemon("dashboard-live-read"));
    pool.allowCoreThreadTimeOut(true);
    long ms = poll.toMillis();
    worker.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Opens a stream for the request (or answers 503 beyond the cap) and sends its snapshot. */
  void connect(Context ctx, ApiQuery query) {
    LiveClients.Client c = clients.open(ctx, query);
    if (c == null) {
      return;
    }
    try {
      pool.execute(
          () -> {
            try {
              First first = snapshotOf(query);
              LiveView view = new LiveView(query);
              view.sent(first.read());
              c.send(LiveClients.event("snapshot", first.json()), first);
              // Registered only now: no update can overtake the snapshot.
              if (!c.isClosed()) {
                views.put(c, view);
              }
            } catch (Exception e) {
              log.warn("live stream not started: {}", e.getMessage());
              c.close();
            }
          });
    } catch (RejectedExecutionException e) {
      c.close();
    }
  }

  /** A first snapshot: the read and its message. */
  private record First(LiveView.Read read, String json) {}

  /**
   * The first snapshot for a filter at the store's current version: read once per version and
   * filter, however many clients connect meanwhile.
   */
  private First snapshotOf(ApiQuery query) throws Exception {
    String v = reads.version();
    Cached c = cached;
    if (c.version.equals(v)) {
      First f = c.byFilter.get(query.filterKey());
      if (f != null) {
        return f;
      }
    } else {
      c = new Cached(v, new ConcurrentHashMap<>());
      cached = c;
    }
    LiveView.Read r = reads.read(query, -1, true);
    First f = new First(r, new LiveView(query).snapshot(r));
    if (c.byFilter.size() < MAX_CACHED_FILTERS) {
      c.byFilter.put(query.filterKey(), f);
    }
    return f;
  }

  private record Cached(String version, Map<String, First> byFilter) {}

  /** A batch was committed: send the clients what changed, as soon as the last update is out. */
  void storeChanged() {
    if (views.isEmpty() || updatePending.getAndSet(true)) {
      return;
    }
    try {
      worker.execute(this::update);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  int clientCount() {
    return clients.count();
  }

  private void poll() {
    if (clients.count() == 0) {
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
    // Also while the store changes: a client whose filter matched nothing new was sent nothing.
    long now = System.nanoTime();
    if (now - lastKeepAlive >= KEEP_ALIVE.toNanos()) {
      lastKeepAlive = now;
      for (LiveClients.Client c : views.keySet()) {
        c.sendComment("unchanged");
      }
    }
  }

  /**
   * On the feed thread, right after a commit: each client's new feed rows. The panels are asked for
   * too, and read on their own thread, so a read of thirteen aggregations never holds up a row.
   */
  // A ConcurrentHashMap: its iterators allow removing entries while iterating.
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private void update() {
    updatePending.set(false);
    Map<String, LiveView.Read> readsByCursor = new HashMap<>();
    Map<String, byte[]> encoded = new HashMap<>();
    for (Map.Entry<LiveClients.Client, LiveView> e : views.entrySet()) {
      LiveClients.Client client = e.getKey();
      LiveView view = e.getValue();
      if (client.isClosed()) {
        views.remove(client);
        continue;
      }
      if (view.query().isRange()) {
        // A range's feed is a panel like the others: it moves with the panels.
        continue;
      }
      try {
        String key = view.query().filterKey() + "@" + view.cursor();
        LiveView.Read r = readsByCursor.get(key);
        if (r == null) {
          r = reads.read(view.query(), view.cursor(), false);
          readsByCursor.put(key, r);
        }
        LiveView.Read read = r;
        byte[] message =
            encoded.computeIfAbsent(
                key,
                k -> {
                  String m = view.update(read);
                  return m.isEmpty() ? new byte[0] : LiveClients.event("update", m);
                });
        view.sent(read);
        if (message.length > 0) {
          client.send(message, read);
        }
      } catch (Exception ex) {
        log.warn("live update failed: {}", ex.getMessage());
      }
    }
    panelsChanged();
  }

  /** The store changed: the panels are read again, as soon as {@link #PANEL_EVERY} allows. */
  private void panelsChanged() {
    panelsWanted.set(true);
    if (panelsScheduled.getAndSet(true)) {
      return;
    }
    long wait = lastPanelRead + PANEL_EVERY.toNanos() - System.nanoTime();
    try {
      panelWorker.schedule(this::panelUpdate, Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /**
   * On the panel thread: each client's panels that changed since it was last sent them. A panel
   * read does not move a client's feed cursor: the feed rows are the feed thread's.
   */
  private void panelUpdate() {
    panelsWanted.set(false);
    panelsScheduled.set(false);
    lastPanelRead = System.nanoTime();
    Map<String, LiveView.Read> readsByFilter = new HashMap<>();
    // Clients that were sent the same panels get the same message, encoded once.
    Map<String, Map<Object, byte[]>> encoded = new HashMap<>();
    for (Map.Entry<LiveClients.Client, LiveView> e : views.entrySet()) {
      LiveClients.Client client = e.getKey();
      LiveView view = e.getValue();
      if (client.isClosed()) {
        continue;
      }
      try {
        String key = view.query().filterKey();
        LiveView.Read r = readsByFilter.get(key);
        if (r == null) {
          r = reads.read(view.query(), -1, true);
          readsByFilter.put(key, r);
        }
        LiveView.Read read = r;
        byte[] message =
            encoded
                .computeIfAbsent(key, k -> new IdentityHashMap<>())
                .computeIfAbsent(
                    view.sentPanels(),
                    p -> {
                      String m = view.update(read);
                      return m.isEmpty() ? new byte[0] : LiveClients.event("update", m);
                    });
        view.sentPanels(read);
        if (message.length > 0) {
          client.send(message, read);
        }
      } catch (Exception ex) {
        log.warn("live update failed: {}", ex.getMessage());
      }
    }
    if (panelsWanted.get()) {
      // Commits came during the read: another one, once it is due.
      panelsChanged();
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    panelWorker.shutdownNow();
    pool.shutdownNow();
    clients.close();
    views.clear();
  }
}
