package org.wikievents;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.wikievents.cli.Cli;

/**
 * wiki-events: watches every Wikimedia wiki in real time.
 *
 * <p>The flow, one package per stage; each knows only the stages before it:
 *
 * <pre>
 *   source  (live EventStreams over SSE, or a recording) into an EventSink
 *     → queue  (bounded, in memory; or RabbitMQ between processes)
 *     → load   (Loader: parse, then one transaction per batch)
 *     → store  (the API: EventStore, StoreReader; engines behind one entry class each in
 *               store.duckdb and store.clickhouse)
 *     → web    (dashboard and JSON API over a StoreReader; /health shows load.IngestState)
 * </pre>
 *
 * {@code event} holds the event model and parser, {@code alert} the alert rules. {@code cli} holds
 * the commands, each composed of the same parts: a {@code load.Pipeline} (read a source into a
 * queue, load a queue into a store, or both) and a server over the store ({@code web}); all start,
 * run until the input ends or Ctrl-C/SIGTERM ({@code cli.Shutdown}: stop the input, commit, close),
 * and close in reverse order.
 *
 * <pre>
 *   run        source → memory queue → store, and the dashboard
 *   replay     recording → memory queue → store
 *   reader     source → RabbitMQ, and /health
 *   loader     RabbitMQ → store, and the dashboard
 *   dashboard  the dashboard over a store
 * </pre>
 *
 * ArchitectureTest holds these rules.
 */
public final class Main {
  /** How long a signalled command gets to finish (the service units allow 45 s). */
  static final long STOP_SECONDS = 40;

  private static final CompletableFuture<Integer> result = new CompletableFuture<>();

  private Main() {}

  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(Main::exitWithResult, "exit-code"));
    int code = Cli.execute(args);
    result.complete(code);
    System.exit(code);
  }

  /**
   * On SIGTERM the JVM would exit with 143 whatever the command did. The commands' own hooks make
   * them commit and return; their exit code (0 after a clean stop) becomes the process's, so a
   * service manager sees a clean stop as one.
   */
  private static void exitWithResult() {
    if (result.isDone()) {
      return; // an ordinary System.exit: its code stands
    }
    try {
      Runtime.getRuntime().halt(result.get(STOP_SECONDS, TimeUnit.SECONDS));
    } catch (TimeoutException | ExecutionException e) {
      // Did not finish in time: the JVM exits as signalled.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
