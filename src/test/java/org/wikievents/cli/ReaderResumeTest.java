package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.ResumeFile;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;
import org.wikievents.testing.Broker;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import org.wikievents.testing.SseServer;
import org.wikievents.testing.Tables;

/** A live reader resumes after the last event the broker confirmed, across a kill -9. */
class ReaderResumeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int EVENTS = 300;

  @Test
  void aKilledReaderResumesAfterItsLastConfirmedEventAndLosesNothing(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("reader-state.json");
    Path db = dir.resolve("loaded.duckdb");
    ResumeFile resume = new ResumeFile(state);
    try (Broker broker = Broker.forTest(500);
        SseServer feed = new SseServer(Samples.MULTIWIKI_2026, EVENTS, 10)) {
      String[] args = DistributedRolesTest.reader(broker, dir, "--stream-url", feed.url());
      try (ChildJvm reader = ChildJvm.start(dir, args)) {
        awaitUntil(() -> resume.load().containsKey("recentchange"), reader);
        reader.kill();
      }
      int sentBeforeKill = feed.sent();
      String saved = resume.load().get("recentchange");
      assertThat(SseServer.offset(saved)).isBetween(0, sentBeforeKill - 1);
      assertThat(sentBeforeKill).as("killed mid-stream").isLessThan(EVENTS);

      try (ChildJvm reader = ChildJvm.start(dir, args)) {
        awaitUntil(
            () -> SseServer.id(EVENTS - 1).equals(resume.load().get("recentchange")), reader);
        // SIGTERM: the JVM exits with 143 whatever the command returns; what matters is that it
        // stopped reading and waited for the broker's confirms.
        reader.terminate(TIMEOUT);
        int resumedFrom = SseServer.offset(saved) + 1;
        assertThat(reader.output())
            .contains("resuming")
            .contains(
                "published %d events, %d confirmed by the broker"
                    .formatted(EVENTS - resumedFrom, EVENTS - resumedFrom));
      }
      assertThat(feed.lastEventIds()).containsExactly("none", saved);

      try (ChildJvm loader =
          ChildJvm.start(dir, DistributedRolesTest.loader(broker, db, "--exit-when-idle", "1s"))) {
        assertThat(loader.await(TIMEOUT)).as(loader.output()).isZero();
      }
    }
    assertThat(Tables.counts(db)).containsEntry("wiki", (long) EVENTS);
    try (Connection c = DuckDb.openReadOnly(db);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT stream, sse_id FROM wiki_checkpoint")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("recentchange");
      assertThat(rs.getString(2)).isEqualTo(SseServer.id(EVENTS - 1));
    }
    assertThat(Files.exists(dir.resolve("reader-state.json.tmp"))).isFalse();
  }

  @Test
  void whileTheBrokerIsUnreachableTheReaderStopsReadingTheFeed(@TempDir Path dir) throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = s.getLocalPort();
    }
    try (SseServer feed = SseServer.endless(Samples.MULTIWIKI_2026);
        ChildJvm reader =
            ChildJvm.start(
                dir,
                "reader",
                "--stream-url",
                feed.url(),
                "--state",
                dir.resolve("state.json").toString(),
                "--port",
                "0",
                "--amqp-uri",
                "amqp://guest:guest@127.0.0.1:" + nobody + "/%2f")) {
      reader.awaitOutput("cannot publish to", TIMEOUT);
      // The feed is written until the socket buffers are full, then nothing more is taken from it.
      Await.until(
          "the reader stopped reading: the feed's write blocks",
          TIMEOUT,
          () -> feed.writeBlockedFor(Duration.ofSeconds(1)));
      int after = feed.sent();
      System.out.println("broker unreachable: the feed stopped after " + after + " events");
      assertThat(reader.isAlive()).isTrue();
      assertThat(reader.output()).doesNotContain("published");
      assertThat(dir.resolve("state.json")).doesNotExist();
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitUntil(Check check, ChildJvm process) throws Exception {
    try {
      Await.until(
          "the condition, while the process runs",
          TIMEOUT,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("the process ended");
            }
            return check.ok();
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; output:\n" + process.output(), e);
    }
  }
}
