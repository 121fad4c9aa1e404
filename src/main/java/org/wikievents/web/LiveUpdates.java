package org.wikievents.web;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's live stream (SSE): a full snapshot on connect, then every interval a new snapshot when
 * the store changed, or a comment that keeps the connection open. Clients with the same filter
 * share one read per interval.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  /** What one client asked for and what it was last sent. */
  private static final class Subscriber {
    final ApiQuery query;
    volatile String lastSent;

    Subscriber(ApiQuery query) {
      this.query = query;
    }
  }

  private final Map<SseClient, Subscriber> clients = new ConcurrentHashMap<>();
  private final SnapshotSource snapshots;
  private final ScheduledExecutorService ticker;
  private String version;

  /** Reads the JSON snapshot of all panels for a filter. */
  interface SnapshotSource {
    String json(ApiQuery query) throws Exception;

    /** Changes whenever the store does (cheap to read). */
    String version() throws Exception;
  }

  LiveUpdates(SnapshotSource snapshots, Duration interval) {
    this.snapshots = snapshots;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-live");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  void connect(SseClient client, ApiQuery query) {
    Subscriber s = new Subscriber(query);
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    try {
      String json = snapshots.json(query);
      s.lastSent = json;
      client.sendEvent("snapshot", json);
      clients.put(client, s);
    } catch (Exception e) {
      log.warn("live stream not started: {}", e.getMessage());
      client.close();
    }
  }

  int clientCount() {
    return clients.size();
  }

  private void tick() {
    if (clients.isEmpty()) {
      return;
    }
    try {
      String v = snapshots.version();
      if (Objects.equals(v, version)) {
        clients.keySet().forEach(c -> c.sendComment("unchanged"));
        return;
      }
      version = v;
    } catch (Exception e) {
      log.warn("live update failed: {}", e.getMessage());
      return;
    }
    Map<String, String> byFilter = new HashMap<>();
    for (Map.Entry<SseClient, Subscriber> e : clients.entrySet()) {
      SseClient client = e.getKey();
      Subscriber s = e.getValue();
      try {
        String json = byFilter.get(s.query.filterKey());
        if (json == null) {
          json = snapshots.json(s.query);
          byFilter.put(s.query.filterKey(), json);
        }
        if (client.terminated()) {
          clients.remove(client);
        } else if (Objects.equals(json, s.lastSent)) {
          client.sendComment("unchanged");
        } else {
          s.lastSent = json;
          client.sendEvent("snapshot", json);
        }
      } catch (Exception ex) {
        log.warn("live update failed: {}", ex.getMessage());
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    for (SseClient c : clients.keySet()) {
      c.close();
    }
    clients.clear();
  }
}
