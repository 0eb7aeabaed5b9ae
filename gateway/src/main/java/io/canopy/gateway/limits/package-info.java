/**
 * The gateway's defences against too much of anything: token-bucket rate limits (messages per WebSocket
 * connection, writes per namespace shared by every connection and REST request of this gateway), the cap on open
 * realtime connections (WebSockets and REST event streams), and the REST admission handler that applies them
 * before a request is parsed. Configured by one {@link io.canopy.gateway.limits.LimitsConfig}; no protocol
 * parsing here (the {@code ws} and {@code rest} packages turn a refusal into their own wire format).
 */
package io.canopy.gateway.limits;
