package org.wikievents.queue;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where and how events travel through RabbitMQ.
 *
 * @param uri the AMQP URI, credentials included; never print it, use {@link #maskedUri}
 * @param exchange durable topic exchange the readers publish to (routing key: the stream name)
 * @param queue durable quorum queue the loaders consume from, bound to the exchange for every key
 * @param prefetch most deliveries a loader holds unacknowledged; at least one batch
 * @param maxUnconfirmed most messages a reader has published without a confirm; bounds its memory
 * @param deliveryLimit deliveries after which the broker dead-letters a message that keeps crashing
 *     loaders (quorum queue {@code x-delivery-limit})
 */
public record RabbitSettings(
    String uri,
    String exchange,
    String queue,
    int prefetch,
    int maxUnconfirmed,
    int deliveryLimit) {

  /** Where the URI (with its password) is read from when no flag gives it. */
  public static final String URI_ENV = "WIKI_EVENTS_AMQP_URI";

  public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2f";
  public static final String DEFAULT_EXCHANGE = "wiki-events";
  public static final String DEFAULT_QUEUE = "wiki-events.load";

  /** AMQP limits basic.qos to an unsigned short. */
  public static final int MAX_PREFETCH = 65_535;

  public RabbitSettings {
    if (prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH);
    }
    if (maxUnconfirmed < 1) {
      throw new IllegalArgumentException("maxUnconfirmed must be positive");
    }
    if (deliveryLimit < 1) {
      throw new IllegalArgumentException("delivery limit must be positive");
    }
    for (String name : new String[] {exchange, queue}) {
      if (name == null || name.isBlank() || name.length() > 200 || name.startsWith("amq.")) {
        throw new IllegalArgumentException("'" + name + "' is not a usable exchange or queue name");
      }
    }
  }

  /** Where poison messages go after {@link #deliveryLimit} deliveries. */
  public String deadLetterExchange() {
    return exchange + ".dead";
  }

  public String deadLetterQueue() {
    return queue + ".dead";
  }

  /** The URI with its password replaced, fit for logs. */
  public String maskedUri() {
    return mask(uri);
  }

  static String mask(String uri) {
    try {
      URI u = new URI(uri);
      String info = u.getRawUserInfo();
      if (info == null) {
        return uri;
      }
      int colon = info.indexOf(':');
      String user = colon < 0 ? info : info.substring(0, colon);
      return u.getScheme()
          + "://"
          + user
          + (colon < 0 ? "" : ":****")
          + "@"
          + u.getRawAuthority().substring(info.length() + 1)
          + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (URISyntaxException | RuntimeException e) {
      return "(an unparsable AMQP URI)";
    }
  }
}
