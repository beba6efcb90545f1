package io.ferry.relay.store;

/** The store could not do what was asked (disk full, file locked, corrupt). Never a business outcome. */
public final class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
