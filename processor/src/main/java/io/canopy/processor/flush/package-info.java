/**
 * The only code that writes the store and the checkpoint and commits offsets (in the documented order), and the
 * roll-forward recovery that finishes an interrupted flush from the emitted changes.
 */
package io.canopy.processor.flush;
