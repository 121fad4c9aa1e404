package org.wikievents.store;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The store refused or failed an operation; the batch was not committed. */
public class StoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
