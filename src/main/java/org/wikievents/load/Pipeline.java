package org.wikievents.load;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;
import org.wikievents.queue.EventQueue;
import org.wikievents.source.EventSource;
import org.wikievents.source.SourceStatus;
import org.wikievents.source.SseEventSource;
import org.wikievents.store.EventStore;

/**
 * Ingestion in one process, made of the two parts every ingesting command is composed of: read a
 * source into a queue (on a thread of its own), and load a queue into a store (the {@link Loader}).
 * {@code run} and {@code replay} have both, {@code reader} only the first (its queue is RabbitMQ),
 * {@code loader} only the second. One lifecycle for all: {@link #start}, {@link #awaitEnd}, {@link
 * #stopInput} on a signal, {@link #close}; {@link #state} is what {@code /health} and the page
 * show.
 *
 * <p>Ends when the input ends (a recording; the queue's input finished) and everything read is
 * committed, or when stopped.
 */
public final class Pipeline implements AutoCloseable {
  private final EventSource source;
  private final EventQueue queue;
  private final Loader loader;
  private final String detail;
  private final Supplier<IngestState.Feed> feed;
  private final Thread reader;
  private volatile Throwable sourceFailure;

  /**
   * @param source null when the queue is filled elsewhere (another process)
   * @param loader null when the queue is drained elsewhere
   * @param detail why this process loads nothing, for {@link #state}; with no loader only
   */
  private Pipeline(
      EventSource source,
      SourceStatus.Thresholds thresholds,
      EventQueue queue,
      Loader loader,
      String detail) {
    this.source = source;
    this.queue = queue;
    this.loader = loader;
    this.detail = detail;
    this.feed =
        source instanceof SseEventSource sse ? () -> feed(sse.status().report(thresholds)) : null;
    this.reader = source == null ? null : new Thread(this::read, "source");
  }

  /** Source → queue → store, not started yet; {@code thresholds} judge a live feed's health. */
  public static Pipeline readAndLoad(
      EventSource source,
      SourceStatus.Thresholds thresholds,
      EventQueue queue,
      EventStore store,
      Loader.Settings settings,
      MeterRegistry registry) {
    return new Pipeline(
        source, thresholds, queue, new Loader(queue, store, settings, registry), null);
  }

  /** Source → queue, for a queue another process loads; {@code role} says so on /health. */
  public static Pipeline read(
      EventSource source, SourceStatus.Thresholds thresholds, EventQueue queue, String role) {
    return new Pipeline(source, thresholds, queue, null, role);
  }

  /** Queue → store, for a queue another process fills. */
  public static Pipeline load(
      EventQueue queue, EventStore store, Loader.Settings settings, MeterRegistry registry) {
    return new Pipeline(
        null,
        SourceStatus.Thresholds.DEFAULT,
        queue,
        new Loader(queue, store, settings, registry),
        null);
  }

  /** Source → queue → store, started, with the default feed thresholds. */
  public static Pipeline start(
      EventSource source,
      EventQueue queue,
      EventStore store,
      Loader.Settings settings,
      MeterRegistry registry) {
    return readAndLoad(source, SourceStatus.Thresholds.DEFAULT, queue, store, settings, registry)
        .start();
  }

  /** Starts loading first, so the queue is drained from the first event read. */
  public Pipeline start() {
    if (loader != null) {
      loader.start();
    }
    if (reader != null) {
      reader.start();
    }
    return this;
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
      if (loader != null) {
        loader.inputFailed(e);
      }
    } finally {
      queue.finishInput();
    }
  }

  /** Waits until the input ended and all of it is committed; rethrows what stopped either. */
  public void awaitEnd() throws IOException, InterruptedException {
    if (loader != null && reader != null) {
      while (reader.isAlive() && loader.isRunning()) {
        reader.join(200);
      }
      if (!loader.isRunning()) {
        // The loader died first: stop reading, nobody is draining the queue.
        source.close();
        reader.interrupt();
      }
    }
    if (reader != null) {
      reader.join();
    }
    if (loader != null) {
      loader.awaitFinished();
    }
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

  /**
   * Stops taking input, from any thread (a signal): the source stops reading, or, with no source
   * here, the queue stops delivering. What was taken is still committed; {@link #awaitEnd} returns.
   */
  public void stopInput() {
    if (source != null) {
      source.close();
    } else {
      queue.finishInput();
    }
  }

  /** The loader, or null when this process loads nothing. */
  public Loader loader() {
    return loader;
  }

  /** The loader's phase and totals (or why there is none) and the live feed's state. */
  public IngestState state() {
    IngestState s = loader != null ? loader.state() : IngestState.none(detail);
    Throwable dead = sourceFailure;
    if (loader == null && dead != null) {
      // A reader role's source died: nothing feeds the queue any more.
      s = new IngestState(IngestState.Phase.FAILED, detail, readingStopped(dead), null);
    }
    return feed == null ? s : s.withFeed(feed.get());
  }

  private static IngestState.Feed feed(SourceStatus.Report r) {
    return new IngestState.Feed(
        r.state().name().toLowerCase(Locale.ROOT),
        r.since(),
        r.failingSince(),
        r.lastError(),
        r.lastEvent(),
        r.healthy());
  }

  /**
   * Stops reading and commits what was read so far. Interrupted while waiting, it returns with the
   * thread's interrupt flag set.
   */
  @Override
  public void close() {
    stopInput();
    try {
      if (reader != null) {
        reader.interrupt();
        reader.join();
      }
      queue.finishInput();
      if (loader != null) {
        loader.awaitFinishedQuietly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
