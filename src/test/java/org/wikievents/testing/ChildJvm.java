package org.wikievents.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code wiki-events} in a JVM of its own, as an operator runs it: can be killed with -9. */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path output;

  private ChildJvm(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static ChildJvm start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    return start(dir, List.of(), env, args);
  }

  /** With extra JVM options, such as {@code -Djava.io.tmpdir=...}. */
  public static ChildJvm start(
      Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.wikievents.Main");
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, args[0] + "-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().remove("WIKI_EVENTS_AMQP_URI");
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), out);
  }

  public static ChildJvm start(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), args);
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int await(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("did not end within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits until the output contains {@code text}. */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException, IOException {
    try {
      Await.until(
          "'" + text + "' in the output",
          timeout,
          () -> {
            if (output().contains(text)) {
              return true;
            }
            if (!process.isAlive()) {
              throw new AssertionError("ended without '" + text + "' in the output:\n" + output());
            }
            return false;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; output:\n" + output(), e);
    }
  }

  /** {@code kill -9}: no shutdown hook, no last commit, no last ack. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as Ctrl-C or a service manager stops it: shutdown hooks run. */
  public int terminate(Duration timeout) throws InterruptedException, IOException {
    process.destroy();
    return await(timeout);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
