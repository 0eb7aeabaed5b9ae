package io.canopy.server;

/** A command line or environment that cannot be turned into a config; the launcher exits with code 2. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
