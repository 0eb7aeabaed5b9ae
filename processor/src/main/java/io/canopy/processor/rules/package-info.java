/** Security rules as the processor applies them to writes. */
package io.canopy.processor.rules;
