package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.testing.StoreTables;
import picocli.CommandLine;

/** {@code record} captures the stream with its SSE ids; {@code replay} takes the capture back. */
class RecordCommandTest {
  @TempDir Path dir;

  @Test
  void recordsEventsWithTheirIdsAndTheCaptureReplaysIntoTheStore() throws Exception {
    List<String> lines =
        RecordedEventServer.sample("recentchange-2026-05-05-multiwiki").subList(0, 300);
    Path capture = dir.resolve("capture.sse.gz");
    try (RecordedEventServer server = RecordedEventServer.start(lines)) {
      StringWriter err = new StringWriter();
      CommandLine cl = Cli.commandLine();
      cl.setErr(new PrintWriter(err, true));

      int code =
          cl.execute(
              "record",
              "--stream-url",
              server.url().toString(),
              "--out",
              capture.toString(),
              "--limit",
              "120",
              "--contact",
              "https://example.org/tests");

      assertThat(code).as(err.toString()).isZero();
      assertThat(err.toString())
          .contains("recorded 120 events to " + capture)
          .doesNotContain("warning");
      assertThat(server.takeRequest().header("User-Agent")).contains("https://example.org/tests");
    }
    List<String> frames;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(capture)), StandardCharsets.UTF_8))) {
      frames = r.lines().toList();
    }
    assertThat(frames.stream().filter(l -> l.startsWith("data: ")))
        .containsExactlyElementsOf(lines.subList(0, 120).stream().map(l -> "data: " + l).toList());
    assertThat(frames.stream().filter(l -> l.startsWith("id: [{\"topic\":"))).hasSize(120);

    Path db = dir.resolve("store.duckdb");
    assertThat(Cli.commandLine().execute("replay", capture.toString(), "--db", db.toString()))
        .isZero();
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(120);
      assertThat(t.count("SELECT count(*) FROM wiki_raw WHERE sse_id LIKE '[{\"topic\":%'"))
          .isEqualTo(120);
    }
  }
}
