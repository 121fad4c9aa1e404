package org.wikievents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.testing.Await;
import org.wikievents.testing.Samples;

/**
 * The release archive as a server operator gets it: unpacked into an empty folder, run with only a
 * Java runtime on PATH, no Maven and no checkout around; its service units pass systemd's check.
 */
class ReleaseArchiveIT {
  private static final Duration START = Duration.ofMinutes(1);
  @TempDir Path dir;
  private Path home;
  private Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("wiki-events.archive"));
    assertThat(archive).exists();
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(tar.exitValue()).isZero();
    home = dir.resolve("wiki-events-" + System.getProperty("wiki-events.version"));
    work = Files.createDirectories(dir.resolve("work"));
    Files.copy(Samples.MULTIWIKI_2026, work.resolve("sample.ndjson.gz"));
  }

  @Test
  void holdsTheLauncherTheJarTheConfigTheUnitsAndTheDocs() {
    assertThat(home.resolve("bin/wiki-events")).isExecutable();
    assertThat(home.resolve("lib/wiki-events.jar")).isRegularFile();
    assertThat(home.resolve("etc/wiki-events.properties")).isRegularFile();
    assertThat(home.resolve("etc/secrets.env.example")).isRegularFile();
    assertThat(home.resolve("docs/deploy.md")).isRegularFile();
    for (String unit : units()) {
      assertThat(home.resolve("systemd").resolve(unit)).isRegularFile();
    }
  }

  @Test
  void replayRunAndDashboardWorkFromTheArchiveAlone() throws Exception {
    Launched replay =
        launch("replay", "sample.ndjson.gz", "--db", "data/replayed.duckdb", "--log-level", "warn");
    assertThat(replay.await(START)).as(replay.output()).isZero();
    assertThat(replay.output())
        .contains("stored " + String.format("%,d", Samples.MULTIWIKI_EVENTS));

    Launched run =
        launch(
            "run",
            "--replay",
            "sample.ndjson.gz",
            "--speed",
            "max",
            "--port",
            "0",
            "--db",
            "data/run.duckdb");
    run.awaitOutput("replay done", START);
    URI health = URI.create(dashboardUrl(run) + "/health");
    HttpResponse<String> ok = get(health);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"status\":\"ok\"");
    // SIGTERM, as systemctl stop sends it: a clean stop is exit code 0.
    assertThat(run.terminate(Duration.ofSeconds(Main.STOP_SECONDS))).as(run.output()).isZero();
    assertNoFrameworkNoiseAndTimestamps(run.output());

    Launched dashboard = launch("dashboard", "--db", "data/replayed.duckdb", "--port", "0");
    dashboard.awaitOutput("on http://", START);
    String base = dashboardUrl(dashboard);
    assertThat(get(URI.create(base + "/")).body()).contains("wiki-events");
    HttpResponse<String> wikis = get(URI.create(base + "/api/wikis"));
    assertThat(wikis.statusCode()).isEqualTo(200);
    assertThat(wikis.body()).contains("enwiki");
    assertThat(dashboard.terminate(Duration.ofSeconds(Main.STOP_SECONDS))).isZero();
  }

  @Test
  void theExampleConfigIsValidForEveryCommandOfTheUnits() throws Exception {
    for (String command : List.of("run", "reader", "loader", "dashboard")) {
      Launched config =
          launch(
              "config", "--config", home.resolve("etc/wiki-events.properties").toString(), command);
      assertThat(config.await(START)).as(config.output()).isZero();
    }
  }

  @Test
  void theServiceUnitsPassSystemdAnalyzeVerify() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(analyze) || "true".equals(System.getenv("CI")),
        "systemd-analyze is not installed");
    // The units expect the archive at /opt/wiki-events; verify checks that ExecStart exists, so
    // each is checked as installed here.
    Path units = Files.createDirectories(dir.resolve("units"));
    for (String unit : units()) {
      String text = Files.readString(home.resolve("systemd").resolve(unit));
      assertThat(text)
          .contains("ProtectSystem=strict", "NoNewPrivileges=yes", "Restart=on-failure")
          .contains("ReadWritePaths=/var/lib/wiki-events", "EnvironmentFile=-/etc/wiki-events/")
          .contains("WIKI_EVENTS_CONFIG=/etc/wiki-events/wiki-events.properties");
      Files.writeString(units.resolve(unit), text.replace("/opt/wiki-events/", home + "/"));
      Process p =
          new ProcessBuilder(analyze.toString(), "verify", units.resolve(unit).toString())
              .redirectErrorStream(true)
              .start();
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(unit + ": " + out).isZero();
      assertThat(out).as(unit).isEmpty();
    }
  }

  private static List<String> units() {
    return List.of(
        "wiki-events.service",
        "wiki-events-reader.service",
        "wiki-events-loader.service",
        "wiki-events-dashboard.service");
  }

  private static void assertNoFrameworkNoiseAndTimestamps(String output) {
    assertThat(output).doesNotContain("Javalin").doesNotContain("jetty").doesNotContain("days old");
    for (String line : output.lines().toList()) {
      if (!line.startsWith("wiki-events: ")) {
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\w+ .*");
      }
    }
  }

  private static String dashboardUrl(Launched process) throws IOException {
    Matcher m = Pattern.compile("on (http://[^\\s;]+:\\d+)").matcher(process.output());
    assertThat(m.find()).as(process.output()).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** bin/wiki-events with a PATH of only the Java runtime and the basic system tools. */
  private Launched launch(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/wiki-events").toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, args[0] + "-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().clear();
    pb.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("WIKI_EVENTS_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
    return new Launched(pb.start(), out);
  }

  private record Launched(Process process, Path log) {
    int await(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("did not end within " + timeout + ":\n" + output());
      }
      return process.exitValue();
    }

    int terminate(Duration timeout) throws Exception {
      process.destroy();
      return await(timeout);
    }

    void awaitOutput(String text, Duration timeout) throws Exception {
      try {
        Await.until(
            "'" + text + "' in the output",
            timeout,
            () -> output().contains(text) || !process.isAlive());
      } catch (AssertionError e) {
        process.destroyForcibly();
        throw new AssertionError("no '" + text + "' in:\n" + output(), e);
      }
      if (!output().contains(text)) {
        process.destroyForcibly();
        throw new AssertionError("ended without '" + text + "' in:\n" + output());
      }
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }
}
