/** Immutable tree nodes with Firebase's normalisation and priorities. No JSON parsing, no query logic. */
package io.canopy.core.tree;
