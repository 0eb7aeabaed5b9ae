package io.canopy.gateway.ws;

import java.util.Map;

/**
 * The gateway's own items for a connection's queue (beside the pusher's data pushes). {@link WireFormat} turns each
 * into one protocol message.
 */
sealed interface Outbound {

  /** The empty object: what a listen's {@code ok} must carry (the Java SDK casts it to a map). */
  Map<String, Object> EMPTY_OBJECT = Map.of();

  /** The server's hello, sent first: {@code ts} in epoch milliseconds (an integer: Java casts it to Long). */
  record Handshake(long timestamp, String host, String sessionId) implements Outbound {}

  /** The answer to the JS client's health ping. */
  record Pong() implements Outbound {}

  /** Tells the client to stop reconnecting (e.g. its namespace is invalid). */
  record Shutdown(String reason) implements Outbound {}

  /**
   * The response to request {@code r}.
   *
   * @param status {@code ok} or an error's wire status
   * @param data for an error, its message; for {@code ok}: a String, a {@code Node} (written in export format) or a
   *     map of plain JSON values
   */
  record Reply(long r, String status, Object data) implements Outbound {
    static final String OK = "ok";

    static Reply ok(long r, Object data) {
      return new Reply(r, OK, data);
    }

    static Reply error(long r, String status, String message) {
      return new Reply(r, status, message == null ? "" : message);
    }
  }
}
