package io.canopy.sdk.internal.connection;

import java.net.URI;

/** Opens transports: the seam where tests could put a fake socket. */
public interface TransportFactory {
  /**
   * Starts opening a socket to {@code uri} and returns at once. Messages sent before the socket is open are queued;
   * if it cannot be opened the listener's {@link Transport.Listener#onClosed} is called.
   */
  Transport open(URI uri, Transport.Listener listener);
}
