package io.canopy.sdk.internal.connection;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed message from the server. */
public sealed interface ServerMessage {
  /** The server hello: its clock in epoch ms, the host it names and the session id. */
  record Handshake(long timestamp, String host, String sessionId) implements ServerMessage {}

  /** Another control message: {@code s} shutdown, {@code r} redirect, {@code o} pong, {@code e} error. */
  record Control(String type, String data) implements ServerMessage {}

  /** The reply to request {@code r}. */
  record Reply(long r, String status, JsonNode data) implements ServerMessage {
    public boolean ok() {
      return "ok".equals(status);
    }
  }

  /** A server push: {@code d}, {@code m}, {@code c}, {@code ac}, {@code sd}, ... */
  record Push(String action, JsonNode body) implements ServerMessage {}

  /** Anything unparsable or unknown (logged and ignored). */
  record Unknown(String text) implements ServerMessage {}
}
