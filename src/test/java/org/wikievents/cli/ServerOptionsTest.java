package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import picocli.CommandLine;

/** What a small server needs: DuckDB's memory and threads bounded, the address chosen. */
class ServerOptionsTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void duckDbRunsWithinTheMemoryLimitAndThreadsGiven() {
    Path db = dir.resolve("store.duckdb");
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    String query = "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t";

    out.getBuffer().setLength(0);
    assertThat(run("sql", "--db", db.toString(), "--format", "csv", query)).isZero();
    assertThat(out.toString().lines()).containsExactly("m,t", "953.6 MiB,2");

    out.getBuffer().setLength(0);
    assertThat(
            run(
                "sql",
                "--db",
                db.toString(),
                "--memory-limit",
                "300MB",
                "--threads",
                "1",
                "--format",
                "csv",
                query))
        .isZero();
    assertThat(out.toString().lines()).containsExactly("m,t", "286.1 MiB,1");

    assertThat(run("sql", "--db", db.toString(), "--memory-limit", "lots", query)).isEqualTo(2);
    assertThat(err.toString()).contains("'lots' is not a memory size");
  }

  @Test
  void theDashboardListensOnlyOnTheAddressGiven() throws Exception {
    Path db = dir.resolve("store.duckdb");
    assertThat(run("replay", Samples.NEW_ITEMS_2018.toString(), "--db", db.toString())).isZero();
    try (ChildJvm dashboard =
        ChildJvm.start(
            dir, "dashboard", "--db", db.toString(), "--host", "127.0.0.2", "--port", "0")) {
      dashboard.awaitOutput("on http://", Duration.ofMinutes(1));
      Matcher m = Pattern.compile("on http://127\\.0\\.0\\.2:(\\d+)").matcher(dashboard.output());
      assertThat(m.find()).as(dashboard.output()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + m.group(1) + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThatThrownBy(
              () ->
                  http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + m.group(1) + "/health"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);
    }
  }
}
