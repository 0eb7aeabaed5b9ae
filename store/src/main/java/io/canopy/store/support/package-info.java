/**
 * Store-independent machinery shared by the {@link io.canopy.store.TreeStore} implementations: the one-record-per-node
 * model ({@link io.canopy.store.support.NodeRecord}), the flush planner that turns a batch of overwrites into
 * record mutations ({@link io.canopy.store.support.FlushPlanner}), the assembler that turns stored records back
 * into a tree ({@link io.canopy.store.support.TreeAssembler}) and the namespace naming rule. It keeps the two
 * engines to one algorithm, so the conformance suite tests it twice. No driver imports and no I/O: reads reach the
 * planner only through {@link io.canopy.store.support.StateReader}. This is not an SPI; only the implementation
 * packages of this module use it.
 */
package io.canopy.store.support;
