package org.wikievents.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one way every command stops on Ctrl-C or SIGTERM: stop taking input, then let the command
 * finish what it holds (commit, confirm, close its store) within a grace period, so a restart
 * resumes cleanly. A command opens it first and closes it last, once everything else is closed.
 */
final class Shutdown implements AutoCloseable {
  private static final Duration LAST_CHANCE = Duration.ofSeconds(2);

  /** Long enough to commit a full batch on a slow disk. */
  static final Duration COMMIT_GRACE = Duration.ofSeconds(30);

  static final String NOT_COMMITTED = "the last batch was not committed in time";

  private final CountDownLatch signalled = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread main = Thread.currentThread();
  private final Duration grace;
  private final String late;
  private final Thread hook = new Thread(this::onSignal, "shutdown");
  private volatile Runnable stopInput = () -> {};

  private Shutdown(Duration grace, String late) {
    this.grace = grace;
    this.late = late;
  }

  /**
   * Installs the hook; {@code late} is what to say when the command did not finish in {@code grace}
   * and in a last moment after its thread was interrupted.
   */
  static Shutdown install(Duration grace, String late) {
    Shutdown s = new Shutdown(grace, late);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** What stops the input on a signal; run at once when the signal already came. */
  void stopInputWith(Runnable stop) {
    stopInput = stop;
    if (signalled.getCount() == 0) {
      stop.run();
    }
  }

  /** Whether Ctrl-C or SIGTERM came. */
  boolean signalled() {
    return signalled.getCount() == 0;
  }

  /** Blocks until Ctrl-C or SIGTERM (for commands that serve until stopped). */
  void awaitSignal() throws InterruptedException {
    signalled.await();
  }

  private void onSignal() {
    signalled.countDown();
    stopInput.run();
    try {
      if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        main.interrupt();
        if (!finished.await(LAST_CHANCE.toMillis(), TimeUnit.MILLISECONDS)) {
          System.err.println("wiki-events: " + late);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command finished: a signal now has nothing left to wait for. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it sees the command finished.
    }
  }
}
