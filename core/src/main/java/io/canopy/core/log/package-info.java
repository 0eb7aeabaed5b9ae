/** Value types and byte codecs of the {@code canopy.writes} and {@code canopy.changes} records. No Kafka classes. */
package io.canopy.core.log;
