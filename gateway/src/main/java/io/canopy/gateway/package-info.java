/**
 * The gateway: {@link io.canopy.gateway.GatewayServer} (the Vert.x bootstrap and router on one port) and its
 * {@link io.canopy.gateway.GatewayConfig}. Protocol handling lives in the subpackages ({@code .rest},
 * {@code .health}, {@code .ns}, {@code .write}); this package only wires them. Flags and environment variables are
 * mapped onto the config by {@code server}, never here.
 */
package io.canopy.gateway;
