package io.canopy.processor;

/**
 * Named places in the decide and flush sequence where a test can make the processor crash or stall, to prove that
 * recovery and fencing lose and duplicate nothing. (Between the data and the checkpoint inside a store's own apply, tests wrap the store.)
 */
public enum FaultPoint {
  /** On the consumer thread, before each write record is decided (a test can stall the processor here). */
  BEFORE_DECIDE,
  /** Changes are acknowledged by Kafka; nothing of them is in the store yet. */
  AFTER_EMIT_BEFORE_FLUSH,
  /** Data and checkpoint are in the store; the Kafka group offset is not committed yet. */
  AFTER_FLUSH_BEFORE_COMMIT
}
