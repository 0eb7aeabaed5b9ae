/**
 * The connection stack, bottom-up: {@link io.canopy.sdk.internal.connection.Transport} (a socket carrying whole
 * messages; {@link io.canopy.sdk.internal.connection.JdkWebSocketTransport} over {@code java.net.http.WebSocket},
 * with {@link io.canopy.sdk.internal.connection.FrameCodec}'s v5 framing), {@link
 * io.canopy.sdk.internal.connection.Wire} (the message layer as strings and plain values) and {@link
 * io.canopy.sdk.internal.connection.PersistentConnection} (the session that survives reconnections: listens,
 * unacknowledged writes in order, on-disconnect requests, gets, backoff). Knows nothing about listeners or views.
 */
package io.canopy.sdk.internal.connection;
