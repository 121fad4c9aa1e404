package org.wikievents.store;

/**
 * The store was written by a newer release, in a layout this program does not know: nothing was
 * changed. The command line treats it as a usage error (exit code 2).
 */
public final class NewerStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  public NewerStoreException(String message) {
    super(message, null);
  }
}
