/**
 * The benchmark tool ({@code canopy-load bench}): starting the Canopy server jar and the firebase-server peer as
 * child processes, CPU and memory readings from {@code /proc} and {@code jcmd}, latency recording, the verdicts on
 * the targets and the Canopy/peer ratios, and the JSON and HTML reports. What is measured lives in
 * {@code io.canopy.load.scenario}, not here.
 */
package io.canopy.load.bench;
