package org.wikievents.cli;

import org.wikievents.queue.RabbitSettings;
import picocli.CommandLine.Option;

/**
 * Where the broker is. The URI carries credentials, so it has no default shown in {@code --help}
 * and is only ever printed masked; prefer the environment variable to the flag, which other users
 * of the machine can see in the process list.
 */
final class AmqpOptions {
  static final String URI_ENV = RabbitSettings.URI_ENV;

  @Option(
      names = "--amqp-uri",
      paramLabel = "URI",
      description =
          "RabbitMQ to use, as amqp[s]://user:password@host:port/vhost (env "
              + URI_ENV
              + "; default: the local broker as guest).")
  String uri;

  @Option(
      names = "--exchange",
      paramLabel = "NAME",
      defaultValue = RabbitSettings.DEFAULT_EXCHANGE,
      description = "Durable topic exchange readers publish to (default: ${DEFAULT-VALUE}).")
  String exchange;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      defaultValue = RabbitSettings.DEFAULT_QUEUE,
      description = "Durable quorum queue loaders consume from (default: ${DEFAULT-VALUE}).")
  String queue;

  @Option(
      names = "--delivery-limit",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Deliveries after which a message that keeps failing goes to the dead-letter queue"
              + " <queue>.dead (default: ${DEFAULT-VALUE}). Fixed when the queue is first"
              + " declared.")
  int deliveryLimit;

  RabbitSettings settings(int prefetch, int maxUnconfirmed) {
    String u = uri;
    if (u == null || u.isBlank()) {
      u = System.getenv(URI_ENV);
    }
    if (u == null || u.isBlank()) {
      u = RabbitSettings.DEFAULT_URI;
    }
    return new RabbitSettings(u.strip(), exchange, queue, prefetch, maxUnconfirmed, deliveryLimit);
  }
}
