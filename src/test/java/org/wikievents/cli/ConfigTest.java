package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The config file and the environment: precedence, errors, and the effective settings. */
class ConfigTest {
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** {@code sql} names the store it could not find (a usage error): which --db value won. */
  private String storeUsedBy(String... args) {
    err.getBuffer().setLength(0);
    assertThat(run(args)).isEqualTo(2);
    return err.toString().strip();
  }

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("wiki-events.properties"), "db = " + dir.resolve("from-file") + "\n");

    assertThat(storeUsedBy("sql", "SELECT 1")).endsWith("no store at data/wiki-events.duckdb");
    assertThat(storeUsedBy("sql", "--config", file.toString(), "SELECT 1"))
        .endsWith("no store at " + dir.resolve("from-file"));
    env.put("WIKI_EVENTS_CONFIG", file.toString());
    assertThat(storeUsedBy("sql", "SELECT 1")).endsWith("no store at " + dir.resolve("from-file"));
    env.put("WIKI_EVENTS_DB", dir.resolve("from-env").toString());
    assertThat(storeUsedBy("sql", "SELECT 1")).endsWith("no store at " + dir.resolve("from-env"));
    assertThat(storeUsedBy("sql", "--db", dir.resolve("from-flag").toString(), "SELECT 1"))
        .endsWith("no store at " + dir.resolve("from-flag"));
  }

  @Test
  void aCommandsSectionWinsOverABareKey() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("c.properties"),
            "db = " + dir.resolve("bare") + "\nsql.db = " + dir.resolve("for-sql") + "\n");
    assertThat(storeUsedBy("sql", "--config", file.toString(), "SELECT 1"))
        .endsWith("no store at " + dir.resolve("for-sql"));
    assertThat(storeUsedBy("replay", "--config", file.toString(), dir.resolve("none").toString()))
        .contains("no such file");
  }

  @Test
  void anUnknownKeyAnUnknownSectionABadValueOrAnUnreadableFileIsOneLineAndExitCode2()
      throws Exception {
    Map<String, String> cases =
        Map.of(
            "prot = 8080\n", "unknown key 'prot'",
            "runn.port = 8080\n", "unknown key 'runn.port'",
            "replay.port = 8080\n", "unknown key 'replay.port'",
            "run.port = eighty\n", "'eighty' is not a port");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = Files.writeString(dir.resolve("bad.properties"), c.getKey());
      err.getBuffer().setLength(0);
      assertThat(run("run", "--config", file.toString())).as(c.getKey()).isEqualTo(2);
      assertThat(err.toString().lines().findFirst().orElseThrow()).contains(c.getValue());
      assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    err.getBuffer().setLength(0);
    assertThat(run("run", "--config", dir.resolve("missing.properties").toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("wiki-events: no such config file: " + dir.resolve("missing.properties"));
  }

  @Test
  void configPrintsTheEffectiveSettingsWithTheirSourceAndPasswordsMasked() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("c.properties"),
            "run.port = 8099\namqp-uri = amqp://wiki:s3cret@broker:5672/wiki\n");
    env.put("WIKI_EVENTS_AUTH", "admin:hunter2");

    assertThat(run("config", "--config", file.toString(), "run")).isZero();
    assertThat(out.toString())
        .contains("port = 8099   # " + file + " [run.port]")
        .contains("auth = admin:****   # environment WIKI_EVENTS_AUTH")
        .contains("db = data/wiki-events.duckdb   # default")
        .doesNotContain("hunter2");

    out.getBuffer().setLength(0);
    assertThat(run("config", "--config", file.toString(), "reader")).isZero();
    assertThat(out.toString())
        .contains("amqp-uri = amqp://wiki:****@broker:5672/wiki   # " + file + " [amqp-uri]")
        .doesNotContain("s3cret");
  }
}
