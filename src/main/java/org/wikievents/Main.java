package org.wikievents;

import org.wikievents.cli.Cli;

/**
 * wiki-events: watches every Wikimedia wiki in real time.
 *
 * <p>The flow, one package per part:
 *
 * <pre>
 *   source  (live EventStreams over SSE, or a recording)
 *     → queue  (bounded, in memory; or RabbitMQ between processes)
 *     → store  (Loader: parse, then one transaction per batch into bronze, silver and gold)
 *     → web    (dashboard and JSON API over the store)
 * </pre>
 *
 * {@code event} holds the event model and parser, {@code cli} the commands that wire the parts
 * together ({@link org.wikievents.cli.RunCommand} is the whole flow in one process).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(args));
  }
}
