package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/**
 * The live stream on a real server on loopback, read by a real SSE client, while the real pipeline
 * commits a burst in small batches: updates are pushed on commit (the poll is an hour away), carry
 * only what changed, and every feed row reaches the client once and in commit order.
 */
class LiveUpdatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
  private final List<Recorder> recorders = new ArrayList<>();

  /** One SSE client's events, in order. */
  private static final class Recorder extends EventSourceListener {
    final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    EventSource source;

    @Override
    public void onEvent(EventSource s, String id, String type, String data) {
      events.add(new String[] {type, data});
    }

    @Override
    public void onFailure(EventSource s, Throwable t, Response r) {
      events.add(new String[] {"failure", String.valueOf(t)});
    }

    JsonNode next(String type) throws Exception {
      String[] e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("a " + type + " event within " + WAIT).isNotNull();
      assertThat(e[0]).as(e[1]).isEqualTo(type);
      return JSON.readTree(e[1]);
    }
  }

  @AfterEach
  void nothingElseFailed() {
    for (Recorder r : recorders) {
      r.source.cancel();
      assertThat(r.events).noneMatch(e -> e[0].equals("failure"));
    }
  }

  private Recorder listen(DashboardServer server, String query) {
    Recorder r = new Recorder();
    r.source =
        EventSources.createFactory(http)
            .newEventSource(
                new Request.Builder()
                    .url("http://127.0.0.1:" + server.port() + "/api/live" + query)
                    .header("Accept", "text/event-stream")
                    .build(),
                r);
    recorders.add(r);
    return r;
  }

  @Test
  void aBurstReachesEveryClientRowByRowInCommitOrder() throws Exception {
    List<String> lines = DashboardFixture.sampleLines();
    List<String> first = lines.subList(0, 200);
    List<String> burst = lines.subList(200, 2200);
    Path db = dir.resolve("store.duckdb");
    long cursorAll;
    long cursorEnwiki;
    List<JsonNode> allUpdates = new ArrayList<>();
    List<JsonNode> enwikiUpdates = new ArrayList<>();
    try (EventStore store = DuckDb.open(db);
        StoreReader reader = store.reader();
        DashboardServer server =
            DashboardServer.start(
                reader,
                registry,
                new DashboardServer.Settings(
                    0, null, Duration.ofHours(1), () -> IngestState.none("test")))) {
      replay(store, server, DashboardFixture.write(dir.resolve("first.ndjson"), first), 1000);
      Recorder all = listen(server, "");
      Recorder enwiki = listen(server, "?wiki=enwiki");
      JsonNode snapshot = all.next("snapshot");
      assertThat(snapshot.get("panels").get("feed").get("rows")).hasSize(50);
      cursorAll = snapshot.get("cursor").asLong();
      cursorEnwiki = enwiki.next("snapshot").get("cursor").asLong();
      assertThat(cursorAll).isPositive();

      // Four bursts in batches of 50, each pushed (the poll is an hour away); commits that come
      // while an update is read fold into the next update.
      for (int i = 0; i < 4; i++) {
        List<String> part = burst.subList(i * 500, (i + 1) * 500);
        replay(store, server, DashboardFixture.write(dir.resolve("burst" + i), part), 50);
        collectUntil(all, allUpdates, part.size());
        long enwikiInPart = part.stream().filter(l -> l.contains("\"wiki\":\"enwiki\"")).count();
        collectUntil(enwiki, enwikiUpdates, enwikiInPart);
      }
    }
    assertThat(allUpdates.size()).as("updates pushed on commit").isGreaterThanOrEqualTo(4);
    for (JsonNode u : allUpdates) {
      assertThat(u.get("panels").has("feed")).as("the feed comes as new rows only").isFalse();
    }
    try (Connection c = DuckDb.openReadOnly(db)) {
      assertInCommitOrder(allUpdates, committedAfter(c, cursorAll, null));
      List<String> enwikiRows = committedAfter(c, cursorEnwiki, "enwiki");
      assertThat(enwikiRows).isNotEmpty();
      assertInCommitOrder(enwikiUpdates, enwikiRows);
    }
  }

  @Test
  void anUnchangedStoreSendsNoUpdateOnCommit() throws Exception {
    List<String> lines = DashboardFixture.sampleLines().subList(0, 300);
    try (EventStore store = DuckDb.open(dir.resolve("store.duckdb"));
        StoreReader reader = store.reader();
        DashboardServer server =
            DashboardServer.start(
                reader,
                registry,
                new DashboardServer.Settings(
                    0, null, Duration.ofHours(1), () -> IngestState.none("test")))) {
      Path file = DashboardFixture.write(dir.resolve("lines.ndjson"), lines);
      replay(store, server, file, 1000);
      Recorder r = listen(server, "");
      r.next("snapshot");
      // The same lines again: all duplicates, a commit that changes nothing visible.
      replay(store, server, file, 1000);
      server.storeChanged();
      // A new commit with new rows afterwards: its update is the next event, so nothing came
      // between (a comment is not an event).
      replay(store, server, DashboardFixture.write(dir.resolve("more.ndjson"), more()), 1000);
      JsonNode u = r.next("update");
      assertThat(u.get("feed").get("rows")).hasSize(1);
      assertThat(u.get("feed").get("skipped").asLong()).isZero();
    }
  }

  private static List<String> more() throws Exception {
    return DashboardFixture.sampleLines().subList(300, 301);
  }

  private void replay(EventStore store, DashboardServer server, Path file, int batch)
      throws Exception {
    Pipeline p =
        Pipeline.start(
            new RecordingSource(file, 0),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(batch, Duration.ofMillis(50), Duration.ZERO),
            registry);
    p.loader().onCommit(c -> server.storeChanged());
    p.awaitEnd();
  }

  /** Takes updates until they account for {@code events} feed rows (sent or counted skipped). */
  private static void collectUntil(Recorder r, List<JsonNode> into, long events) throws Exception {
    long seen = 0;
    while (seen < events) {
      JsonNode u = r.next("update");
      into.add(u);
      JsonNode feed = u.get("feed");
      if (feed != null) {
        seen += feed.get("rows").size() + feed.get("skipped").asLong();
      }
    }
    assertThat(seen).isEqualTo(events);
  }

  /**
   * Walks the updates in order against the rows committed after the snapshot, oldest first: each
   * update skips the number it says, then its rows (newest first) are the next ones, in order.
   */
  private static void assertInCommitOrder(List<JsonNode> updates, List<String> committed) {
    int next = 0;
    for (JsonNode u : updates) {
      JsonNode feed = u.get("feed");
      if (feed == null) {
        continue;
      }
      next += feed.get("skipped").asInt();
      List<String> cols = new ArrayList<>();
      feed.get("columns").forEach(c -> cols.add(c.asText()));
      JsonNode rows = feed.get("rows");
      for (int i = rows.size() - 1; i >= 0; i--) {
        JsonNode row = rows.get(i);
        String key =
            key(
                row.get(cols.indexOf("wiki")).asText(),
                row.get(cols.indexOf("title")).asText(null),
                row.get(cols.indexOf("user")).asText(null),
                row.get(cols.indexOf("revision_new")).isNull()
                    ? null
                    : row.get(cols.indexOf("revision_new")).asLong());
        assertThat(key).as("feed row " + next).isEqualTo(committed.get(next));
        next++;
      }
    }
    assertThat(next).as("every committed row accounted for").isEqualTo(committed.size());
  }

  private static List<String> committedAfter(Connection c, long batch, String wiki)
      throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT wiki, title, \"user\", revision_new FROM wiki WHERE batch_id > ?"
                + " AND (? IS NULL OR wiki = ?)"
                + " ORDER BY batch_id, event_time, event_id DESC")) {
      ps.setLong(1, batch);
      ps.setString(2, wiki);
      ps.setString(3, wiki);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long rev = rs.getLong(4);
          Long revision = rs.wasNull() ? null : rev;
          out.add(key(rs.getString(1), rs.getString(2), rs.getString(3), revision));
        }
      }
    }
    return out;
  }

  private static String key(String wiki, String title, String user, Long revision) {
    return wiki + "|" + title + "|" + user + "|" + Objects.toString(revision);
  }
}
