package org.wikievents.cli;

import java.util.concurrent.CountDownLatch;
import org.wikievents.load.Pipeline;

/** On Ctrl-C or SIGTERM: stop reading and commit what was read, so a restart resumes cleanly. */
final class Shutdown {
  private Shutdown() {}

  static void onSignal(Pipeline pipeline) {
    onSignal(pipeline, new CountDownLatch(1));
  }

  /** Also counts {@code stopped} down once the pipeline is closed. */
  static void onSignal(Pipeline pipeline, CountDownLatch stopped) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pipeline.close();
                    stopped.countDown();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown"));
  }
}
