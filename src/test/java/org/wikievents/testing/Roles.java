package org.wikievents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.wikievents.load.Loader;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.source.RecordingSource;

/** The two roles' work done in the test's own JVM, where a test needs no process boundary. */
public final class Roles {
  private Roles() {}

  /** Publishes a whole recording at full speed and waits until the broker confirmed all of it. */
  public static void publish(Path recording, RabbitQueue queue) throws Exception {
    new RecordingSource(recording, 0).run(queue);
    queue.awaitConfirms();
  }

  /** Waits until nothing arrived for two seconds, then lets the loader commit the rest and end. */
  public static Loader.Totals drain(RabbitQueue queue, Loader loader) throws Exception {
    Await.until(
        "nothing arrived for 2 s",
        Duration.ofSeconds(90),
        () -> {
          assertThat(loader.isRunning()).as("loader running").isTrue();
          return queue.quietFor().compareTo(Duration.ofSeconds(2)) >= 0;
        });
    queue.finishInput();
    loader.awaitFinished();
    return loader.totals();
  }
}
