package org.wikievents.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.wikievents.load.Loader;
import org.wikievents.source.RecordingSource;

/** A progress bar with rate and ETA, drawn on the terminal only (never into a pipe or a log). */
final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;

  private final ScheduledExecutorService timer;
  private final PrintStream out = System.err;
  private final RecordingSource source;
  private final Loader loader;
  private final long start = System.nanoTime();

  private Progress(RecordingSource source, Loader loader, boolean draw) {
    this.source = source;
    this.loader = loader;
    if (draw) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  static Progress startIfTerminal(RecordingSource source, Loader loader) {
    return new Progress(source, loader, terminal());
  }

  /**
   * Whether standard output is a terminal. Before JDK 22 System.console() is null otherwise; from
   * JDK 22 on it is never null and Console.isTerminal() tells (called reflectively: built for 17).
   */
  @SuppressWarnings("SystemConsoleNull") // both JDKs' answers are handled here
  private static boolean terminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22: a console is a terminal
    }
  }

  private void draw() {
    double fraction =
        source.totalBytes() == 0
            ? 1
            : Math.min(1, (double) source.bytesRead() / source.totalBytes());
    double seconds = (System.nanoTime() - start) / 1e9;
    long committed = loader.totals().received();
    double rate = committed / Math.max(seconds, 1e-3);
    long eta = fraction > 0.01 ? Math.round(seconds / fraction - seconds) : -1;
    int filled = (int) (fraction * WIDTH);
    out.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3.0f%%  %,d events  %,.0f events/s  ETA %s ",
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            fraction * 100,
            committed,
            rate,
            eta < 0 ? "?" : String.format(Locale.ROOT, "%d:%02d", eta / 60, eta % 60)));
    out.flush();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      draw();
      out.println();
    }
  }
}
