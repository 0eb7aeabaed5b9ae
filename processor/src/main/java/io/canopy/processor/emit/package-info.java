/** The {@code canopy.changes} producer. No decision logic. */
package io.canopy.processor.emit;
