/** The Kafka consumer loop over the write log and partition ownership. No rule or tree logic. */
package io.canopy.processor.intake;
