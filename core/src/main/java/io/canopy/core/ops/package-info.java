/**
 * Write ops (set, multi-path merge, server values), resolved overwrites and the op-tree that composes them into
 * the fewest equivalent store writes. No timers and no I/O: batching policy belongs to the processor.
 */
package io.canopy.core.ops;
