package io.canopy.sdk.internal.connection;

/**
 * One open socket carrying v5 messages (already framed and reassembled). Implementations call their
 * {@link Listener} on I/O threads; the listener must only hand the calls over to the client's event thread.
 */
public interface Transport {
  /** Queues a whole message for sending (split into frames as needed); never blocks. */
  void send(String message);

  /** Closes the socket cleanly (close frame, then the TCP connection); idempotent. */
  void close();

  /** Receives what arrives on a transport. */
  interface Listener {
    /** A complete message (never a count frame or a keepalive). */
    void onMessage(String message);

    /** The socket is gone (closed by either side, or failed); called at most once. */
    void onClosed(String reason);
  }
}
