/**
 * The in-memory implementations of the presence SPIs, for one process (all-in-one): every SPI of one
 * {@link io.canopy.presence.memory.MemoryClusterState} shares one lock-guarded state, so claims are plain
 * compare-and-set steps. Nothing survives the process; nothing here does I/O.
 */
package io.canopy.presence.memory;
