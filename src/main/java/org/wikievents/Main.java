package org.wikievents;

import org.wikievents.cli.Cli;

/**
 * wiki-events: watches every Wikimedia wiki in real time.
 *
 * <p>The flow, one package per stage; each knows only the stages before it:
 *
 * <pre>
 *   source  (live EventStreams over SSE, or a recording) into an EventSink
 *     → queue  (bounded, in memory; or RabbitMQ between processes)
 *     → load   (Loader: parse, then one transaction per batch; Pipeline: source → queue → store)
 *     → store  (the API: EventStore, StoreReader; engines behind one entry class each in
 *               store.duckdb and store.clickhouse)
 *     → web    (dashboard and JSON API over a StoreReader)
 * </pre>
 *
 * {@code event} holds the event model and parser, {@code cli} the commands that compose the stages
 * ({@code run} is the whole flow in one process). ArchitectureTest holds these rules.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(args));
  }
}
