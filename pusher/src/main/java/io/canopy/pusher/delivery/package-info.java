/**
 * Per-connection ordered delivery: one bounded {@link io.canopy.pusher.delivery.Outbox} per session, the only place
 * where items leave the pusher (through the gateway's {@link io.canopy.pusher.SessionTransport}). A slow consumer's
 * queued data pushes are replaced by fresh snapshots instead of piling up. No view or tree logic.
 */
package io.canopy.pusher.delivery;
