package org.wikievents.web;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's live stream (SSE): a full snapshot on connect, then every interval a new snapshot when
 * the store changed, or a comment that keeps the connection open. Clients with the same filter
 * share one read per interval. The first snapshots are read on a small bounded pool; the streams
 * themselves are {@link LiveClients}.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
  private static final int POOL_THREADS = 2;

  private final LiveClients clients;
  private final SnapshotSource snapshots;
  private final ScheduledExecutorService ticker;
  private final ThreadPoolExecutor pool;
  private String version;
  private static final int MAX_CACHED_FILTERS = 256;
  private volatile Cached cached = new Cached("", new ConcurrentHashMap<>());

  /** Reads the JSON snapshot of all panels for a filter. */
  interface SnapshotSource {
    String json(ApiQuery query) throws Exception;

    /** Changes whenever the store does (cheap to read). */
    String version() throws Exception;
  }

  LiveUpdates(SnapshotSource snapshots, Duration interval, int maxClients) {
    this.snapshots = snapshots;
    this.clients = new LiveClients(maxClients, 8);
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-live"));
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
    long ms = interval.toMillis();
    ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
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
              String json = snapshotOf(query);
              c.send(LiveClients.event("snapshot", json), json);
            } catch (Exception e) {
              log.warn("live stream not started: {}", e.getMessage());
              c.close();
            }
          });
    } catch (RejectedExecutionException e) {
      c.close();
    }
  }

  /**
   * The snapshot for a filter at the store's current version: read once per version and filter,
   * however many clients connect meanwhile.
   */
  private String snapshotOf(ApiQuery query) throws Exception {
    String v = snapshots.version();
    Cached c = cached;
    if (c.version.equals(v)) {
      String json = c.byFilter.get(query.filterKey());
      if (json != null) {
        return json;
      }
    } else {
      c = new Cached(v, new ConcurrentHashMap<>());
      cached = c;
    }
    String json = snapshots.json(query);
    if (c.byFilter.size() < MAX_CACHED_FILTERS) {
      c.byFilter.put(query.filterKey(), json);
    }
    return json;
  }

  private record Cached(String version, Map<String, String> byFilter) {}

  int clientCount() {
    return clients.count();
  }

  private void tick() {
    if (clients.count() == 0) {
      return;
    }
    try {
      String v = snapshots.version();
      if (Objects.equals(v, version)) {
        for (LiveClients.Client c : clients.all()) {
          if (c.lastSent() != null) {
            c.sendComment("unchanged");
          }
        }
        return;
      }
      version = v;
    } catch (Exception e) {
      log.warn("live update failed: {}", e.getMessage());
      return;
    }
    Map<String, String> byFilter = new HashMap<>();
    Map<String, byte[]> encoded = new HashMap<>();
    for (LiveClients.Client c : clients.all()) {
      try {
        if (c.lastSent() == null) {
          // Its first snapshot is still being read: that one comes first.
          continue;
        }
        String json = byFilter.get(c.query.filterKey());
        if (json == null) {
          json = snapshots.json(c.query);
          byFilter.put(c.query.filterKey(), json);
        }
        String j = json;
        if (Objects.equals(json, c.lastSent())) {
          c.sendComment("unchanged");
        } else {
          c.send(
              encoded.computeIfAbsent(c.query.filterKey(), k -> LiveClients.event("snapshot", j)),
              json);
        }
      } catch (Exception ex) {
        log.warn("live update failed: {}", ex.getMessage());
        return;
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    pool.shutdownNow();
    clients.close();
  }
}
