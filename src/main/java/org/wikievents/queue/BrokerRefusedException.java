package org.wikievents.queue;

/**
 * The broker refused us for good (wrong user or password, a vhost that does not exist, no
 * permission on the exchange or queue): retrying cannot help, the settings must change.
 */
public final class BrokerRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BrokerRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
