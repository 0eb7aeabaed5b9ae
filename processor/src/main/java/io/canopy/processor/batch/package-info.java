/** The Nagle policy and each partition's pending op-tree. No store or Kafka calls. */
package io.canopy.processor.batch;
