package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import picocli.CommandLine;

/** What a user reads at the edges, from real processes: signals, taken ports, a busy store. */
class EdgeMessagesTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void aStoreInUseSaysHowToReadItAndSigtermDuringARunReplayDoesNotClaimTheReplayIsDone()
      throws Exception {
    Path db = dir.resolve("store.duckdb");
    // Real time: the sample spans 46 s, so the replay is still going when the signal comes.
    try (ChildJvm running =
        ChildJvm.start(
            dir,
            "run",
            "--replay",
            Samples.MULTIWIKI_2026.toString(),
            "--speed",
            "1",
            "--db",
            db.toString(),
            "--port",
            "0")) {
      running.awaitOutput("dashboard on http://localhost:", Duration.ofSeconds(60));

      assertThat(run("sql", "--db", db.toString(), "SELECT 1")).isEqualTo(1);
      assertThat(err.toString().lines())
          .singleElement()
          .asString()
          .contains("is in use by another wiki-events process")
          .contains("dashboard API")
          .contains("/api/");

      running.terminate(Duration.ofSeconds(60));
      assertThat(running.output())
          .doesNotContain("replay done")
          .doesNotContain("still serving")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aPortInUseIsOneLineWithAHint() throws Exception {
    Path db = dir.resolve("store.duckdb");
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      int port = taken.getLocalPort();
      try (ChildJvm dashboard =
          ChildJvm.start(dir, "dashboard", "--db", db.toString(), "--port", "" + port)) {
        assertThat(dashboard.await(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(dashboard.output().lines())
            .containsExactly(
                "wiki-events: port "
                    + port
                    + " is in use (another wiki-events?): choose another with --port N (0 picks a"
                    + " free one)");
      }
    }
  }

  @Test
  void withoutAContactTheLiveSourceWarnsAndSendsTheProjectUrl() throws Exception {
    List<String> lines =
        RecordedEventServer.sample("recentchange-2026-05-05-multiwiki").subList(0, 10);
    try (RecordedEventServer server = RecordedEventServer.start(lines);
        ChildJvm record =
            ChildJvm.start(
                dir,
                Map.of("WIKI_EVENTS_CONTACT", ""),
                "record",
                "--stream-url",
                server.url().toString(),
                "--out",
                dir.resolve("capture.sse").toString(),
                "--limit",
                "5")) {
      assertThat(record.await(Duration.ofSeconds(60))).as(record.output()).isZero();
      assertThat(record.output())
          .contains("wiki-events: warning: no --contact and no WIKI_EVENTS_CONTACT");
      assertThat(server.takeRequest().header("User-Agent"))
          .contains("(" + LiveOptions.PROJECT_URL + ")");
    }
  }
}
