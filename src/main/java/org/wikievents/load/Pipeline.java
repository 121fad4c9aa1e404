package org.wikievents.load;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.wikievents.queue.EventQueue;
import org.wikievents.source.EventSource;
import org.wikievents.store.EventStore;

/**
 * Source → queue → store in one process: the source reads on its own thread into the queue, the
 * {@link Loader} commits from the queue to the store. Ends when the source ends (a recording) and
 * everything read is committed, or when closed.
 */
public final class Pipeline implements AutoCloseable {
  private final EventSource source;
  private final EventQueue queue;
  private final Loader loader;
  private final Thread reader;
  private volatile Throwable sourceFailure;

  private Pipeline(EventSource source, EventQueue queue, Loader loader) {
    this.source = source;
    this.queue = queue;
    this.loader = loader;
    this.reader = new Thread(this::read, "source");
  }

  public static Pipeline start(
      EventSource source,
      EventQueue queue,
      EventStore store,
      Loader.Settings settings,
      MeterRegistry registry) {
    Pipeline p = new Pipeline(source, queue, new Loader(queue, store, settings, registry));
    p.loader.start();
    p.reader.start();
    return p;
  }

  private void read() {
    try {
      source.run(queue);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      // An Error too (out of memory on a hostile input): a reader that died must not look done,
      // and /health says failed at once, not only once the rest is committed.
      sourceFailure = e;
      loader.inputFailed(e);
    } finally {
      queue.finishInput();
    }
  }

  /** Waits until the source ended and all it read is committed; rethrows what stopped either. */
  public void awaitEnd() throws IOException, InterruptedException {
    while (reader.isAlive() && loader.isRunning()) {
      reader.join(200);
    }
    if (!loader.isRunning()) {
      // The loader died first: stop reading, nobody is draining the queue.
      source.close();
      reader.interrupt();
    }
    reader.join();
    loader.awaitFinished();
    Throwable e = sourceFailure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof Error) {
      throw new IOException(readingStopped(e), e);
    }
    if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** What a dead source thread is reported as: an Error by its class, an exception by its text. */
  static String readingStopped(Throwable e) {
    return e instanceof Error ? "reading stopped: " + e : e.getMessage();
  }

  public Loader loader() {
    return loader;
  }

  /** Stops reading and commits what was read so far. */
  @Override
  public void close() throws InterruptedException {
    source.close();
    reader.interrupt();
    reader.join();
    queue.finishInput();
    loader.awaitFinishedQuietly();
  }
}
