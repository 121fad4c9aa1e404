package org.wikievents.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes {@code mvn -B verify} run every test on a fresh clone: before the first test it starts
 * RabbitMQ when it is installed and not running and checks for Chromium and its driver; the first
 * test that needs ClickHouse has its engine started (unless {@code WIKI_EVENTS_CLICKHOUSE_URL}
 * names a server). It says on the console what it started and what it could not, and stops what it
 * started (but RabbitMQ) when the tests end. Registered in META-INF/services, so it runs in every
 * JUnit launch (Maven, an IDE).
 */
public final class TestServices implements LauncherSessionListener {
  static final String CHDB_VERSION = "3.4.0";
  private static final Pattern LISTENING =
      Pattern.compile("chdb-http listening on 127\\.0\\.0\\.1:(\\d+)");
  // Surefire captures System.out and System.err into report files; the console is the JVM's own.
  private static final PrintStream CONSOLE =
      new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);

  private static final List<String> report = new ArrayList<>();
  private static Process clickhouse;
  private static Path clickhouseData;
  private static String clickhouseUrl;
  private static boolean clickhouseTried;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    rabbitMq();
    chromium();
    String given = System.getenv(ClickHouseServer.ENV);
    report.add(
        given == null || given.isBlank()
            ? "ClickHouse: its engine starts when the first ClickHouse test runs"
            : "ClickHouse: the server named by " + ClickHouseServer.ENV);
    flush();
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    stopClickHouse();
  }

  /** ClickHouse's engine for this test run, started on first use; null when it cannot be had. */
  static synchronized String clickHouseUrl() {
    if (!clickhouseTried) {
      clickhouseTried = true;
      clickHouse();
      flush();
    }
    return clickhouseUrl;
  }

  private static void flush() {
    report.forEach(line -> CONSOLE.println("[test services] " + line));
    report.clear();
  }

  private static void rabbitMq() {
    if (Broker.reachable()) {
      report.add("RabbitMQ: running on 127.0.0.1:5672");
      return;
    }
    if (!onPath("rabbitmq-server")) {
      report.add(
          "RabbitMQ: not running and not installed (apt-get install rabbitmq-server); the queue"
              + " tests skip (fail under CI=true)");
      return;
    }
    try {
      int started = run(Duration.ofSeconds(60), which("rabbitmq-server"), "-detached");
      String ctl = which("rabbitmqctl");
      int ready =
          started == 0 && ctl != null ? run(Duration.ofSeconds(120), ctl, "await_startup") : -1;
      report.add(
          ready == 0 && Broker.reachable()
              ? "RabbitMQ: started it (rabbitmq-server -detached); it keeps running afterwards"
              : "RabbitMQ: rabbitmq-server -detached did not bring it up on 127.0.0.1:5672; the"
                  + " queue tests skip (fail under CI=true)");
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      report.add("RabbitMQ: could not start it (" + e.getMessage() + ")");
    }
  }

  private static void chromium() {
    boolean browser = Files.isExecutable(Path.of("/usr/bin/chromium"));
    boolean driver = Files.isExecutable(Path.of("/usr/bin/chromedriver"));
    if (browser && driver) {
      report.add("Chromium: /usr/bin/chromium and /usr/bin/chromedriver found");
    } else {
      report.add(
          "Chromium: "
              + (browser ? "" : "/usr/bin/chromium ")
              + (driver ? "" : "/usr/bin/chromedriver ")
              + "missing (apt-get install chromium chromium-driver); the browser tests skip"
              + " (fail under CI=true)");
    }
  }

  private static void clickHouse() {
    Path front = Path.of(".ci", "clickhouse", "chdb-http.js").toAbsolutePath();
    if (!Files.isRegularFile(front) || !onPath("node") || !onPath("npm")) {
      report.add(
          "ClickHouse: "
              + ClickHouseServer.ENV
              + " is unset and its engine cannot be started here ("
              + (Files.isRegularFile(front)
                  ? "node and npm are needed: apt-get install nodejs npm"
                  : front + " is missing")
              + "); the ClickHouse tests skip (fail under CI=true)");
      return;
    }
    try {
      Path modules = chdbInstalled();
      clickhouseData = Files.createTempDirectory("wiki-events-chdb-");
      Path log = clickhouseData.resolve("log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node",
                  "--max-http-header-size=1048576",
                  front.toString(),
                  clickhouseData.resolve("db").toString(),
                  "0")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("NODE_PATH", modules.toString());
      // Ends with its stdin, so it goes with this JVM even when the JVM is killed.
      pb.environment().put("CHDB_HTTP_EXIT_WITH_STDIN", "1");
      clickhouse = pb.start();
      String port = awaitPort(log, Duration.ofSeconds(120));
      String url = "http://default@127.0.0.1:" + port + "/default";
      clickhouseUrl = url;
      report.add(
          "ClickHouse: started its engine (chdb "
              + CHDB_VERSION
              + " from "
              + modules.getParent()
              + ") at "
              + url
              + "; it stops when the tests end");
    } catch (IOException | InterruptedException e) {
      stopClickHouse();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      report.add(
          "ClickHouse: could not start its engine ("
              + e.getMessage()
              + "); the ClickHouse tests skip (fail under CI=true)");
    }
  }

  /** The chdb package's node_modules, installed from npm into a cache folder the first time. */
  private static Path chdbInstalled() throws IOException, InterruptedException {
    String dir = System.getenv("WIKI_EVENTS_CHDB_DIR");
    if (dir == null || dir.isBlank()) {
      String cache = System.getenv("XDG_CACHE_HOME");
      if (cache == null || cache.isBlank()) {
        cache = Path.of(System.getProperty("user.home"), ".cache").toString();
      }
      dir = Path.of(cache, "wiki-events", "chdb-" + CHDB_VERSION).toString();
    }
    Path modules = Path.of(dir, "node_modules");
    if (!Files.isRegularFile(modules.resolve("chdb").resolve("package.json"))) {
      Files.createDirectories(Path.of(dir));
      report.add("ClickHouse: installing chdb@" + CHDB_VERSION + " from npm into " + dir);
      int rc =
          run(
              Duration.ofMinutes(5),
              "npm",
              "install",
              "--prefix",
              dir,
              "--no-audit",
              "--no-fund",
              "--loglevel=error",
              "chdb@" + CHDB_VERSION);
      if (rc != 0) {
        throw new IOException("npm install chdb@" + CHDB_VERSION + " exited with " + rc);
      }
    }
    return modules;
  }

  private static String awaitPort(Path log, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = LISTENING.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
      if (!clickhouse.isAlive()) {
        throw new IOException("chdb-http exited: " + text.strip());
      }
      clickhouse.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IOException("chdb-http did not listen within " + timeout.toSeconds() + " s");
  }

  private static synchronized void stopClickHouse() {
    if (clickhouse != null) {
      clickhouse.destroy();
      try {
        if (!clickhouse.waitFor(10, TimeUnit.SECONDS)) {
          clickhouse.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      clickhouse = null;
      clickhouseUrl = null;
    }
    if (clickhouseData != null) {
      try (Stream<Path> files = Files.walk(clickhouseData)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary folder left behind is harmless
      }
      clickhouseData = null;
    }
  }

  private static boolean onPath(String command) {
    return which(command) != null;
  }

  /** The command's file on PATH or in /usr/sbin (where Debian puts rabbitmq-server), or null. */
  private static String which(String command) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.add("/usr/sbin");
    for (String dir : dirs) {
      Path file = Path.of(dir, command);
      if (!dir.isEmpty() && Files.isExecutable(file)) {
        return file.toString();
      }
    }
    return null;
  }

  private static int run(Duration timeout, String... command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
