/**
 * {@code /.ws}: the Firebase Realtime Database wire protocol (v5) over WebSocket, so the official SDKs work
 * unmodified. A transport adapter in layers: {@link io.canopy.gateway.ws.WebSocketEndpoint} (upgrade, namespace,
 * hello) and {@code WsConnection} (Vert.x glue, idle timer) at the top; {@code WsSession} (request dispatch, reply
 * order, on-disconnect queue) over a {@code SessionBackend} seam (pusher session, reads, write log); and at the
 * bottom pure wire code: {@code FrameAssembler}/{@code Frames} (the 16,384-character piece framing),
 * {@code MessageParser} and {@code WireFormat} (strings and trees in, strings out). No query evaluation or tree
 * logic lives here: that is {@code core} and the pusher's; nothing here blocks an event loop.
 */
package io.canopy.gateway.ws;
