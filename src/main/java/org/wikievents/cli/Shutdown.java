package org.wikievents.cli;

import org.wikievents.Pipeline;

/** On Ctrl-C or SIGTERM: stop reading and commit what was read, so a restart resumes cleanly. */
final class Shutdown {
  private Shutdown() {}

  static void onSignal(Pipeline pipeline) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pipeline.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown"));
  }
}
