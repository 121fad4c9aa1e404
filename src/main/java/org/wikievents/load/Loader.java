package org.wikievents.load;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.queue.Batch;
import org.wikievents.queue.EventQueue;
import org.wikievents.store.BatchWriter;
import org.wikievents.store.EventStore;
import org.wikievents.store.Expired;
import org.wikievents.store.Retention;
import org.wikievents.store.StoreException;
import org.wikievents.store.WriteResult;

/**
 * Drains a queue into a store: one thread takes chunks and parses them, another streams them into a
 * store batch, commits it as soon as nothing more is waiting (or at {@code maxBatch} under a
 * backlog), tells the commit listeners, and only then acknowledges it to the queue.
 */
public final class Loader {
  private static final Logger log = LoggerFactory.getLogger(Loader.class);

  /** Events taken from the queue at a time: what is on the heap while a batch streams. */
  private static final int CHUNK = 2048;

  private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(10);
  private static final Duration PARSE_POLL = Duration.ofMillis(100);
  private static final Duration IDLE_POLL = Duration.ofMillis(500);

  /** A chunk taken from the queue, parsed. */
  private record Parsed(Batch batch, List<ParseResult> results, long newestEventTime) {}

  /** Handed over when the queue's input is finished (or reading it failed). */
  private static final Parsed END = new Parsed(null, List.of(), -1);

  @SuppressWarnings("ReferenceEquality") // END is a sentinel: identity is the point
  private static boolean isEnd(Parsed p) {
    return p == END;
  }

  /**
   * How the loader batches and what it keeps.
   *
   * @param maxBatch most events in one transaction
   * @param linger the longest a batch stays open waiting for the rest of a backlog (without one, a
   *     batch commits as soon as nothing more is waiting)
   * @param rawRetention how long bronze rows are kept; zero keeps them forever
   * @param retention how long silver and per-minute gold are kept
   */
  public record Settings(
      int maxBatch, Duration linger, Duration rawRetention, Retention retention) {
    /** Keeps silver and per-minute gold forever. */
    public Settings(int maxBatch, Duration linger, Duration rawRetention) {
      this(maxBatch, linger, rawRetention, Retention.FOREVER);
    }

    public static Settings defaults() {
      return new Settings(
          100_000, Duration.ofMillis(500), Duration.ofDays(1), Retention.defaults());
    }
  }

  /** The longest a retention pass holds up the next batch. */
  private static final Duration EXPIRY_BUDGET = Duration.ofSeconds(1);

  /**
   * The longest the copies of hours that a commit closed hold up the next batch (at least one
   * hour's); what is left goes on after the next commit.
   */
  private static final Duration COPY_BUDGET = Duration.ofSeconds(1);

  private final EventQueue queue;
  private final EventStore store;
  private final Settings settings;
  private final EventParser parser = new EventParser();
  private final Thread thread;
  private final Thread parserThread;
  private final BlockingQueue<Parsed> parsed = new ArrayBlockingQueue<>(2);
  private volatile boolean writerDone;
  private volatile boolean started;

  private final Counter received;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter quarantined;
  private final Counter canaries;
  private final Timer commitTimer;
  private final AtomicLong newestEventTime = new AtomicLong(-1);
  private final AtomicLong lastCommitMillis = new AtomicLong(-1);
  private final List<Consumer<Commit>> commitListeners = new CopyOnWriteArrayList<>();
  private volatile Exception failure;

  /** What killed the source feeding the queue (set by {@link Pipeline}), or null. */
  private volatile Throwable inputFailure;

  private long nextHousekeeping;
  private boolean expiryPending;

  public Loader(EventQueue queue, EventStore store, Settings settings, MeterRegistry registry) {
    this.queue = queue;
    this.store = store;
    this.settings = settings;
    this.received = counter(registry, "wiki_events_received", "Events taken from the queue.");
    this.stored = counter(registry, "wiki_events_stored", "Events committed to silver and gold.");
    this.duplicates =
        counter(registry, "wiki_events_duplicates", "Events skipped as already stored.");
    this.quarantined =
        counter(registry, "wiki_events_quarantined", "Malformed events kept in quarantine.");
    this.canaries =
        counter(registry, "wiki_events_canaries", "Monitoring canary events, not stored.");
    this.commitTimer =
        Timer.builder("wiki_events_batch_commit")
            .description("Time to commit one batch to the store.")
            .register(registry);
    Gauge.builder("wiki_events_queue_depth", queue, EventQueue::depth)
        .description("Events waiting in the queue.")
        .register(registry);
    Gauge.builder("wiki_events_lag_seconds", this, Loader::lagSeconds)
        .description("Seconds between now and the event time of the newest committed event.")
        .register(registry);
    this.thread = new Thread(this::writeLoop, "loader");
    this.parserThread = new Thread(this::parseLoop, "loader-parse");
  }

  private static Counter counter(MeterRegistry registry, String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  /**
   * What one commit stored.
   *
   * @param newestEventTime the newest event time in it, epoch ms, or -1
   * @param committedAt epoch ms
   */
  public record Commit(WriteResult result, long newestEventTime, long committedAt) {}

  /**
   * Calls {@code listener} on the loader's thread after each commit (before the queue is told more
   * is wanted), so it must return quickly: hand the news over, do not read the store there.
   */
  public void onCommit(Consumer<Commit> listener) {
    commitListeners.add(listener);
  }

  public Loader start() {
    started = true;
    parserThread.start();
    thread.start();
    return this;
  }

  /** Waits until the queue's input is finished and all of it is committed (or loading failed). */
  public void awaitFinished() throws InterruptedException, IOException {
    thread.join();
    parserThread.join();
    rethrowFailure();
  }

  /** Waits for the loader to end, without rethrowing its failure (see {@link #failure}). */
  public void awaitFinishedQuietly() throws InterruptedException {
    thread.join();
    parserThread.join();
  }

  /** The error that stopped loading, if any. */
  public Exception failure() {
    return failure;
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /**
   * The source that feeds the queue died (an Error such as out of memory, or an I/O failure): from
   * now on {@link #state} says failed, also while the loader still commits what was read and the
   * process goes down, so {@code /health} never reports a running ingest that nothing feeds.
   */
  void inputFailed(Throwable e) {
    inputFailure = e;
  }

  /**
   * The phase and totals, for {@code /health}; {@link IngestState#STARTING} before {@link #start}.
   */
  public IngestState state() {
    if (!started) {
      return IngestState.STARTING;
    }
    Exception f = failure();
    Throwable in = inputFailure;
    IngestState.Phase phase =
        f != null || in != null
            ? IngestState.Phase.FAILED
            : isRunning() ? IngestState.Phase.RUNNING : IngestState.Phase.FINISHED;
    String error = f != null ? f.getMessage() : in != null ? Pipeline.readingStopped(in) : null;
    return new IngestState(phase, null, error, totals());
  }

  public Totals totals() {
    return new Totals(
        (long) received.count(),
        (long) stored.count(),
        (long) duplicates.count(),
        (long) quarantined.count(),
        (long) canaries.count(),
        newestEventTime.get(),
        lastCommitMillis.get());
  }

  /**
   * Running totals since start.
   *
   * @param newestEventTime the newest event time committed, epoch ms, or -1
   * @param lastCommit when the last batch was committed, epoch ms, or -1
   */
  public record Totals(
      long received,
      long stored,
      long duplicates,
      long quarantined,
      long canaries,
      long newestEventTime,
      long lastCommit) {}

  /**
   * Parse-ahead: takes chunks from the queue and parses them on its own thread, so parsing the next
   * chunk overlaps with the store's work on this one (two cores, twice the work).
   */
  private void parseLoop() {
    try {
      while (!writerDone) {
        Batch chunk = queue.take(CHUNK, PARSE_POLL);
        if (chunk == null) {
          break;
        }
        if (!chunk.isEmpty()) {
          handOver(parse(chunk));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      // An Error too (out of memory on a hostile event): a parser that died must not let the
      // writer end as if the input were done.
      failure = e instanceof Exception x ? x : new IOException("parsing stopped: " + e, e);
      log.error("reading the queue stopped: {}", e instanceof Exception ? e.getMessage() : e);
    } finally {
      try {
        handOver(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handOver(Parsed p) throws InterruptedException {
    while (!writerDone && !parsed.offer(p, 100, TimeUnit.MILLISECONDS)) {
      // The writer is busy committing; wait for room, unless it is gone.
    }
  }

  private Parsed parse(Batch chunk) {
    List<ParseResult> results = new ArrayList<>(chunk.size());
    long newest = -1;
    for (RawEvent raw : chunk.events()) {
      ParseResult r = parser.parse(raw);
      if (r instanceof ParseResult.Accepted a) {
        newest = Math.max(newest, a.event().eventTimeMillis());
      }
      results.add(r);
    }
    return new Parsed(chunk, results, newest);
  }

  private void writeLoop() {
    nextHousekeeping = System.currentTimeMillis() + HOUSEKEEPING_EVERY.toMillis();
    try {
      // Retention runs right after the first batch (a store left alone for a while; after, so
      // it does not hold up the first commit) and after the last (so every replay leaves the
      // store within its windows).
      expiryPending = true;
      while (loadOneBatch()) {
        housekeeping();
      }
      // Copies of closed hours before retention can take their silver away.
      store.maintain();
      expireAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      failure = e instanceof Exception x ? x : new IOException(e.toString(), e);
      // One line: DuckDB's native messages can carry pages of its own stack after the first.
      String m = String.valueOf(failure.getMessage());
      log.error("loading stopped: {}", m.lines().findFirst().orElse(m));
      log.debug("loading stopped", e);
    } finally {
      writerDone = true;
    }
  }

  /**
   * Streams one batch of parsed chunks into the store and commits it as soon as nothing more is
   * waiting (group commit): a lone live event commits at once, while events that arrive during a
   * commit wait for the next one together. Under a backlog (a full chunk means more is queued) the
   * batch keeps growing up to {@code maxBatch}, which commits cheapest. Returns false once the
   * input is finished.
   *
   * <p>Only a few chunks are on the heap; the rest of the batch waits inside the store's open
   * transaction. A failed commit is not retried here: it stops the loader, and since nothing was
   * acknowledged or checkpointed, a restart takes the same events again.
   */
  private boolean loadOneBatch() throws IOException, InterruptedException {
    Parsed chunk = parsed.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
    if (chunk == null) {
      return true;
    }
    if (isEnd(chunk)) {
      return false;
    }
    long start = System.nanoTime();
    long deadline = start + settings.linger().toNanos();
    boolean more = true;
    long newest = -1;
    WriteResult result;
    try (BatchWriter writer = store.begin()) {
      Batch last = chunk.batch();
      int count = 0;
      while (true) {
        for (ParseResult r : chunk.results()) {
          writer.add(r);
        }
        newest = Math.max(newest, chunk.newestEventTime());
        count += chunk.results().size();
        last = chunk.batch();
        if (count >= settings.maxBatch()) {
          break;
        }
        chunk = parsed.poll();
        if (chunk == null && backlog(last)) {
          long left = deadline - System.nanoTime();
          chunk = left > 0 ? parsed.poll(left, TimeUnit.NANOSECONDS) : null;
        }
        if (chunk == null) {
          break;
        }
        if (isEnd(chunk)) {
          more = false;
          break;
        }
      }
      result = writer.commit();
      commitTimer.record(Duration.ofNanos(System.nanoTime() - start));
      // Acknowledging the last chunk acknowledges all before it.
      queue.ack(last);
    }
    received.increment(result.received());
    stored.increment(result.stored());
    duplicates.increment(result.duplicates());
    quarantined.increment(result.quarantined());
    canaries.increment(result.canaries());
    long n = newest;
    newestEventTime.accumulateAndGet(n, Math::max);
    long now = System.currentTimeMillis();
    lastCommitMillis.set(now);
    Commit commit = new Commit(result, newest, now);
    for (Consumer<Commit> l : commitListeners) {
      try {
        l.accept(commit);
      } catch (RuntimeException e) {
        log.warn("a commit listener failed: {}", e.toString());
      }
    }
    return more;
  }

  /**
   * A backlog: the last chunk was taken full, or a full chunk's worth waits in the queue (a replay,
   * a catch-up after a restart). Events merely trickling in, even thousands a second, are no
   * backlog: what arrives during a commit goes together into the next one, so waiting for it would
   * only add to every event's latency (a 5,000/s burst used to wait out the whole linger).
   */
  private boolean backlog(Batch last) {
    return last.size() >= CHUNK || queue.depth() >= CHUNK;
  }

  private void housekeeping() throws StoreException {
    long newest = newestEventTime.get();
    if (newest >= 0) {
      // Copies of an hour as soon as a commit closes it, not at the next upkeep: readers of the
      // copies are at most one commit behind. Cheap when the commit closed nothing.
      store.copyClosed(Instant.ofEpochMilli(newest), COPY_BUDGET);
    }
    long now = System.currentTimeMillis();
    if (now < nextHousekeeping) {
      if (expiryPending) {
        expireOnce();
      }
      return;
    }
    nextHousekeeping = now + HOUSEKEEPING_EVERY.toMillis();
    if (!settings.rawRetention().isZero()) {
      long n = store.expireRaw(Instant.ofEpochMilli(now).minus(settings.rawRetention()));
      if (n > 0) {
        log.info("expired {} bronze rows older than {}", n, settings.rawRetention());
      }
    }
    expireOnce();
    store.maintain();
  }

  /** One pass of silver and per-minute retention, at most {@link #EXPIRY_BUDGET} long. */
  private void expireOnce() throws StoreException {
    if (settings.retention().equals(Retention.FOREVER)) {
      expiryPending = false;
      return;
    }
    Expired e = store.expire(settings.retention(), EXPIRY_BUDGET);
    expiryPending = !e.done();
    if (e.silverRows() > 0 || e.minutelyRows() > 0) {
      log.info(
          "expired {} silver rows and {} per-minute gold rows{}",
          e.silverRows(),
          e.minutelyRows(),
          e.done() ? "" : " (more after the next batch)");
    }
  }

  /** Passes until nothing is left to expire. */
  private void expireAll() throws StoreException {
    do {
      expireOnce();
    } while (expiryPending && !Thread.currentThread().isInterrupted());
  }

  private double lagSeconds() {
    long newest = newestEventTime.get();
    return newest < 0 ? Double.NaN : (System.currentTimeMillis() - newest) / 1000.0;
  }

  private void rethrowFailure() throws IOException {
    Exception e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
