package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.source.RecordedEventServer.Behaviour;
import org.wikievents.testing.Broker;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;

/**
 * Settings no retry can fix stop the process with one line naming the setting and exit code 1:
 * against the real RabbitMQ, a loopback ClickHouse-like server and a loopback EventStreams server.
 */
class FatalMisconfigurationTest {
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);
  @TempDir Path dir;
  private String rabbitUser;
  private HttpServer http;
  private RecordedEventServer feed;

  @AfterEach
  void cleanUp() throws Exception {
    if (rabbitUser != null) {
      rabbitmqctl("delete_user", rabbitUser);
    }
    if (http != null) {
      http.stop(0);
    }
    if (feed != null) {
      feed.close();
    }
  }

  @Test
  void wrongAmqpPasswordStopsTheReaderAndTheLoader() throws Exception {
    Broker.requireRunning();
    String uri = "amqp://guest:not-the-password@127.0.0.1:5672/%2f";
    assertStopsNaming(
        "--amqp-uri",
        "ACCESS_REFUSED",
        "reader",
        "--replay",
        Samples.MULTIWIKI_2026.toString(),
        "--amqp-uri",
        uri,
        "--state",
        dir.resolve("reader.state").toString(),
        "--port",
        "0");
    assertStopsNaming(
        "--amqp-uri",
        "ACCESS_REFUSED",
        "loader",
        "--amqp-uri",
        uri,
        "--db",
        dir.resolve("store.duckdb").toString(),
        "--port",
        "0");
    assertThat(Files.readString(dir.resolve(findLog("reader")))).doesNotContain("not-the-password");
  }

  @Test
  void missingVhostStopsTheReader() throws Exception {
    Broker.requireRunning();
    assertStopsNaming(
        "--amqp-uri",
        "not found",
        "reader",
        "--replay",
        Samples.MULTIWIKI_2026.toString(),
        "--amqp-uri",
        "amqp://guest:guest@127.0.0.1:5672/no-such-vhost-" + UUID.randomUUID(),
        "--state",
        dir.resolve("reader.state").toString(),
        "--port",
        "0");
  }

  @Test
  void userWithoutPermissionOnTheExchangeStopsTheReader() throws Exception {
    Broker.requireRunning();
    rabbitUser = "wiki-events-test-" + UUID.randomUUID().toString().substring(0, 8);
    rabbitmqctl("add_user", rabbitUser, "pw");
    // May connect to the vhost, may configure, write and read nothing.
    rabbitmqctl("set_permissions", "-p", "/", rabbitUser, "^$", "^$", "^$");
    assertStopsNaming(
        "--amqp-uri",
        "ACCESS_REFUSED",
        "reader",
        "--replay",
        Samples.MULTIWIKI_2026.toString(),
        "--amqp-uri",
        "amqp://" + rabbitUser + ":pw@127.0.0.1:5672/%2f",
        "--state",
        dir.resolve("reader.state").toString(),
        "--port",
        "0");
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {401, 403})
  void clickHouseRefusingTheCredentialsStopsTheReplay(int code) throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/",
        ex -> {
          byte[] body =
              "Code: 516. DB::Exception: default: Authentication failed. (AUTHENTICATION_FAILED)"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", "516");
          ex.sendResponseHeaders(code, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    assertStopsNaming(
        "--clickhouse",
        "",
        "replay",
        Samples.MULTIWIKI_2026.toString(),
        "--clickhouse",
        "http://default:wrong@127.0.0.1:" + http.getAddress().getPort() + "/default");
    http.stop(0);
    http = null;
  }

  @Test
  void eventStreamsAnswering403StopsRun() throws Exception {
    feed = RecordedEventServer.start(List.of());
    feed.enqueue(Behaviour.refuse(403));
    assertStopsNaming(
        "--contact",
        "HTTP 403",
        "run",
        "--stream-url",
        feed.url().toString(),
        "--db",
        dir.resolve("store.duckdb").toString(),
        "--port",
        "0");
    assertThat(feed.requestCount()).isEqualTo(1);
  }

  @Test
  void aDuckDbFileOfAnotherProgramIsNotTouched() throws Exception {
    Path other = dir.resolve("other.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE invoices (id INTEGER, total DECIMAL(10,2))");
    }
    assertStopsNaming(
        "--db", "another program", "replay", Samples.MULTIWIKI_2026.toString(), "--db", "" + other);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM duckdb_tables()")) {
      rs.next();
      assertThat(rs.getLong(1)).as("tables in the other program's file").isEqualTo(1);
    }
  }

  /**
   * Runs the command; it must exit 1 by itself with one error line (warnings aside) naming {@code
   * setting}.
   */
  private void assertStopsNaming(String setting, String reason, String... args) throws Exception {
    try (ChildJvm child = ChildJvm.start(dir, args)) {
      int code = child.await(EXIT_WITHIN);
      String out = child.output();
      assertThat(code).as(out).isEqualTo(1);
      List<String> errors =
          out.lines()
              .filter(l -> l.startsWith("wiki-events: ") && !l.startsWith("wiki-events: warning:"))
              .filter(l -> l.contains(setting))
              .toList();
      assertThat(errors).as(out).hasSize(1);
      assertThat(errors.get(0)).contains(reason);
      assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in");
    }
  }

  private Path findLog(String command) throws Exception {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(command + "-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static void rabbitmqctl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("rabbitmqctl %s: %s", String.join(" ", args), out).isZero();
  }
}
