/**
 * The benchmark scenarios (a) to (e): each drives a server over the v5 WebSocket protocol with {@code V5Client} and
 * returns its measurements as JSON. No process management and no verdicts here: those are {@code io.canopy.load.bench}.
 */
package io.canopy.load.scenario;
