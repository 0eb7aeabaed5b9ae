/** Process metrics primitives shared by the components: histograms for stage latencies and sizes. */
package io.canopy.core.metrics;
