/**
 * {@code /health} and {@code /.metrics.json}: read-only views of the gateway's meters ({@link
 * io.canopy.gateway.health.GatewayMetrics}, recorded by the protocol layers) and of whatever the server adds (the
 * processor's counters). No protocol or tree logic.
 */
package io.canopy.gateway.health;
