package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.store.duckdb.DuckDb;
import picocli.CommandLine;

/** Bad dashboard options end with one line and a non-zero exit, before anything is served. */
class DashboardCommandTest {
  @TempDir Path dir;

  private record Outcome(int exit, String err) {}

  private static Outcome execute(String... args) {
    CommandLine cl = Cli.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Outcome(exit, err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dashboard", "run"})
  void aPortOutOfRangeIsRefused(String command) {
    Outcome o = execute(command, "--port", "70000");
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.err().lines().findFirst().orElse(""))
        .isEqualTo(
            "wiki-events: Invalid value for option '--port': '70000' is not a port (0-65535)");
  }

  @Test
  void aPortThatIsNotANumberIsRefused() {
    assertThat(execute("dashboard", "--port", "http").err()).contains("'http' is not a port");
  }

  @Test
  void aMissingStoreIsOneLine() {
    Outcome o = execute("dashboard", "--db", dir.resolve("none.duckdb").toString(), "--port", "0");
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("wiki-events: no store at " + dir.resolve("none.duckdb") + "\n");
  }

  @Test
  void authWithoutAPasswordIsRefused() throws Exception {
    Path db = dir.resolve("s.duckdb");
    DuckDb.open(db).close();
    Outcome o = execute("dashboard", "--db", db.toString(), "--port", "0", "--auth", "alice");
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("wiki-events: --auth must be USER:PASSWORD\n");
  }

  @Test
  void aPortInUseIsOneLine() throws Exception {
    Path db = dir.resolve("s.duckdb");
    DuckDb.open(db).close();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      int port = taken.getLocalPort();
      Outcome o = execute("dashboard", "--db", db.toString(), "--port", String.valueOf(port));
      assertThat(o.exit()).isEqualTo(1);
      assertThat(o.err()).startsWith("wiki-events: port " + port + " is in use").contains("--port");
      assertThat(o.err().lines()).hasSize(1);
    }
  }
}
