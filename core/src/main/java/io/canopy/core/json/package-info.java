/** The export-format JSON codec between bytes and trees. The only place in core where Jackson appears. */
package io.canopy.core.json;
