/** Namespace resolution for a request: {@code ?ns=}, then the Host header, then the configured default. Nothing else. */
package io.canopy.gateway.ns;
