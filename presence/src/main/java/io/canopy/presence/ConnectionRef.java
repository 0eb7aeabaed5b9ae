package io.canopy.presence;

import java.util.Objects;

/**
 * One client connection, cluster-wide: the gateway that holds it and the connection's id there (its session id).
 * Both are made of {@code A-Z a-z 0-9 - _ .} so that they fit in storage keys.
 */
public record ConnectionRef(String gatewayId, String connectionId) {
  public ConnectionRef {
    checkId("gatewayId", gatewayId);
    checkId("connectionId", connectionId);
  }

  /** Throws unless {@code id} is 1 to 200 characters of {@code A-Z a-z 0-9 - _ .}. */
  static void checkId(String what, String id) {
    Objects.requireNonNull(id, what);
    if (id.isEmpty() || id.length() > 200 || !id.chars().allMatch(ConnectionRef::idChar)) {
      throw new IllegalArgumentException("presence: " + what + " must be 1 to 200 characters of A-Z a-z 0-9 - _ .: "
          + id);
    }
  }

  private static boolean idChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.';
  }
}
