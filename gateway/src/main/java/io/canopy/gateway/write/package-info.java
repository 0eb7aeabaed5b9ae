/**
 * The gateway's side of the write log: producing client writes to {@code canopy.writes} and handing back the
 * processor's verdict. No HTTP or protocol types here; the REST and WebSocket layers both build on it.
 */
package io.canopy.gateway.write;
