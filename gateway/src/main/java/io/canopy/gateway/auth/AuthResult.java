package io.canopy.gateway.auth;

import java.util.Objects;

/**
 * The outcome of {@link TokenVerifier#verify(String)}: a verified {@link AuthContext}, or a failure carrying
 * Firebase's status string for the WebSocket {@code auth}/{@code gauth} reply and a message fit for a REST 401.
 */
public sealed interface AuthResult {

  /** True for {@link Ok}. */
  default boolean ok() {
    return this instanceof Ok;
  }

  /** A verified credential. */
  record Ok(AuthContext context) implements AuthResult {
    public Ok {
      Objects.requireNonNull(context, "auth: context");
    }
  }

  /**
   * A refused credential.
   *
   * @param status {@link Status#INVALID_TOKEN} or {@link Status#EXPIRED_TOKEN}
   * @param reason why, for logs (never contains the credential); not sent to clients
   */
  record Failed(Status status, String reason) implements AuthResult {
    public Failed {
      Objects.requireNonNull(status, "auth: status");
      Objects.requireNonNull(reason, "auth: reason");
    }

    /** What a client is told: Firebase's wording for the status. */
    public String message() {
      return status.message();
    }
  }

  /** Firebase's failure statuses. */
  enum Status {
    /** Malformed, badly signed, wrong algorithm, issuer or audience, not yet valid, or unknown. */
    INVALID_TOKEN("invalid_token", "Could not parse auth token."),
    /** Its {@code exp} has passed (beyond the clock skew). */
    EXPIRED_TOKEN("expired_token", "Auth token is expired.");

    private final String wire;
    private final String message;

    Status(String wire, String message) {
      this.wire = wire;
      this.message = message;
    }

    /** The status string of a WebSocket reply ({@code {"s":"invalid_token"}}). */
    public String wire() {
      return wire;
    }

    /**
     * A client-facing message: the WebSocket reply's {@code d} as Firebase words it (seen in the Java SDK's log
     * "Auth token revoked: expired_token (Auth token is expired.)"; Firebase's REST body has no final period).
     */
    public String message() {
      return message;
    }
  }
}
