package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.queue.RabbitSettings;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;
import org.wikievents.testing.Broker;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Roles;
import org.wikievents.testing.Samples;
import org.wikievents.testing.Tables;

/** {@code reader} and {@code loader} as the separate processes they are in production. */
class DistributedRolesTest {
  private static final Duration START = Duration.ofSeconds(30);
  private static final String SAMPLE = Samples.MULTIWIKI_2026.toString();

  @Test
  void recordedEventsThroughReaderBrokerAndLoaderGiveTheTablesOfADirectReplay(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    try (Broker broker = Broker.forTest(1000)) {
      try (ChildJvm reader = ChildJvm.start(dir, reader(broker, dir, "--replay", SAMPLE))) {
        assertThat(reader.await(START)).as(reader.output()).isZero();
        assertThat(reader.output()).contains("published 2,476 events, 2,476 confirmed");
      }
      try (ChildJvm loader =
          ChildJvm.start(
              dir, loader(broker, db, "--batch-size", "500", "--exit-when-idle", "1s"))) {
        assertThat(loader.await(START)).as(loader.output()).isZero();
        assertThat(loader.output())
            .contains("read 2,476, stored 2,476, duplicates 0, quarantined 0");
      }
      assertThat(broker.ready()).as("left in the queue").isZero();
    }
    assertThat(Tables.counts(db)).containsEntry("wiki", 2476L).containsEntry("wiki_raw", 2476L);
    assertThat(Tables.differences(Samples.multiwikiReplayed(), db)).isEmpty();
  }

  @Test
  void theLoaderServesTheDashboardOverTheStoreItWrites(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    try (Broker broker = Broker.forTest(1000);
        RabbitQueue readerSide = new RabbitQueue(broker.settings())) {
      Roles.publish(Samples.MULTIWIKI_2026, readerSide);
      try (ChildJvm loader = ChildJvm.start(dir, loader(broker, db))) {
        loader.awaitOutput("dashboard on http://localhost:", START);
        Matcher m =
            Pattern.compile("dashboard on (http://localhost:\\d+)").matcher(loader.output());
        assertThat(m.find()).isTrue();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The loader commits while the dashboard serves: wait until both wikis are in.
        Await.until(
            "the dashboard lists the first and the last wiki of the input",
            START,
            () -> {
              String wikis = get(http, m.group(1) + "/api/wikis");
              return wikis.contains("commonswiki") && wikis.contains("zhwikisource");
            });
        assertThat(get(http, m.group(1) + "/health")).contains("\"state\":\"running\"");
        assertThat(loader.terminate(START)).isNotNegative();
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void theLoaderKilledMidBatchThreeTimesEndsWithExactlyTheInputsEvents(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    List<Long> storedAtKill = new ArrayList<>();
    try (Broker broker = Broker.forTest(200);
        RabbitQueue readerSide = new RabbitQueue(broker.settings())) {
      Roles.publish(Samples.MULTIWIKI_2026, readerSide);
      for (int kill = 0; kill < 3; kill++) {
        try (ChildJvm loader = ChildJvm.start(dir, loader(broker, db, "--batch-size", "100"))) {
          loader.awaitOutput("consuming from queue", START);
          // Killed once it took 250 to 650 messages off the queue: past its prefetch (200), so it
          // has committed and acked some, and never the whole input in three kills.
          long ready = broker.ready();
          int taken = 250 + ThreadLocalRandom.current().nextInt(400);
          Await.until(
              "the loader took " + taken + " messages",
              START,
              () -> broker.ready() <= ready - taken || !loader.isAlive());
          assertThat(loader.isAlive()).as(loader.output()).isTrue();
          loader.kill();
        }
        storedAtKill.add(Tables.counts(db).getOrDefault("wiki", 0L));
      }
      System.out.println("loader kill -9: events stored at each kill " + storedAtKill);
      try (ChildJvm loader = ChildJvm.start(dir, loader(broker, db, "--exit-when-idle", "1s"))) {
        assertThat(loader.await(START)).as(loader.output()).isZero();
      }
      assertThat(broker.ready()).as("left in the queue").isZero();
    }
    assertThat(storedAtKill)
        .as("at least one kill came in the middle of the stream")
        .anyMatch(n -> n > 0 && n < Samples.MULTIWIKI_EVENTS);
    assertThat(Tables.differences(Samples.multiwikiReplayed(), db)).isEmpty();
  }

  @Test
  void theReaderKilledMidPublishThreeTimesEndsWithExactlyTheInputsEvents(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("loaded.duckdb");
    Loader.Totals totals;
    try (Broker broker = Broker.forTest(200);
        RabbitQueue loaderSide = new RabbitQueue(broker.settings());
        EventStore store = DuckDb.open(db)) {
      Loader loader =
          new Loader(
              loaderSide,
              store,
              new Loader.Settings(100, Duration.ofMillis(200), Duration.ZERO),
              new SimpleMeterRegistry());
      loader.start();
      String[] args = reader(broker, dir, "--replay", SAMPLE, "--speed", "6");
      List<Long> loadedAtKill = new ArrayList<>();
      for (int kill = 0; kill < 3; kill++) {
        try (ChildJvm reader = ChildJvm.start(dir, args)) {
          reader.awaitOutput("publishing to exchange", START);
          // Killed once the loader received 50 to 350 more of its events: mid-publish.
          long received = loader.totals().received();
          int more = 50 + ThreadLocalRandom.current().nextInt(300);
          Await.until(
              "the loader received " + more + " more events",
              START,
              () -> loader.totals().received() >= received + more || !reader.isAlive());
          assertThat(reader.isAlive()).as(reader.output()).isTrue();
          reader.kill();
        }
        loadedAtKill.add(loader.totals().received());
      }
      System.out.println("reader kill -9: events received by the loader at each " + loadedAtKill);
      try (ChildJvm reader = ChildJvm.start(dir, args)) {
        assertThat(reader.await(START)).as(reader.output()).isZero();
      }
      totals = Roles.drain(loaderSide, loader);
      System.out.println("reader kill -9: loader totals " + totals);
      assertThat(loadedAtKill).anyMatch(n -> n > 0);
    }
    assertThat(totals.stored()).isEqualTo(Samples.MULTIWIKI_EVENTS);
    assertThat(totals.duplicates()).as("republished after restarts").isPositive();
    assertThat(Tables.differences(Samples.multiwikiReplayed(), db)).isEmpty();
  }

  @Test
  void theBrokerPasswordAppearsNeitherInHelpNorInLogs(@TempDir Path dir) throws Exception {
    Broker.requireRunning();
    Map<String, String> env =
        Map.of(AmqpOptions.URI_ENV, "amqp://guest:wr0ng-s3cret@127.0.0.1:5672/%2f");
    try (ChildJvm help = ChildJvm.start(dir, env, "reader", "--help")) {
      assertThat(help.await(START)).isZero();
      assertThat(help.output()).contains("--amqp-uri=URI").doesNotContain("s3cret", "guest:");
    }
    try (ChildJvm reader =
        ChildJvm.start(
            dir,
            env,
            "reader",
            "--replay",
            SAMPLE,
            "--state",
            dir.resolve("state.json").toString(),
            "--exchange",
            "test-never-declared",
            "--port",
            "0")) {
      // A refused password is fatal (FatalMisconfigurationTest): one line, exit code 1.
      assertThat(reader.await(START)).isEqualTo(1);
      assertThat(reader.output())
          .contains("the broker at amqp://guest:****@127.0.0.1:5672/%2f refused")
          .doesNotContain("s3cret");
    }
  }

  static String[] reader(Broker broker, Path dir, String... more) {
    return args(
        broker.settings(),
        List.of("reader", "--state", dir.resolve("reader-state.json").toString(), "--port", "0"),
        more);
  }

  static String[] loader(Broker broker, Path db, String... more) {
    return args(broker.settings(), List.of("loader", "--db", db.toString(), "--port", "0"), more);
  }

  private static String[] args(RabbitSettings s, List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of("--amqp-uri", Broker.URI, "--exchange", s.exchange(), "--queue", s.queue()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
