/**
 * The data console and the browser SDK as static files: {@code GET /} (the console page), {@code /console/*}
 * (its script and style) and {@code /sdk/canopy.js} (the ES module client the console runs on, usable by apps).
 * The files are classpath resources read once at start-up; nothing here touches data, protocol or auth: the
 * console talks to the gateway like any other client, through {@code /.ws}, REST and {@code /.metrics.json}.
 */
package io.canopy.gateway.console;
