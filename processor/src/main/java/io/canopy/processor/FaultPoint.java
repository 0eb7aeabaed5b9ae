package io.canopy.processor;

/**
 * Named places in the flush sequence where a test can make the processor crash, to prove that recovery loses
 * and duplicates nothing. (Between the data and the checkpoint inside a store's own apply, tests wrap the store.)
 */
public enum FaultPoint {
  /** Changes are acknowledged by Kafka; nothing of them is in the store yet. */
  AFTER_EMIT_BEFORE_FLUSH,
  /** Data and checkpoint are in the store; the Kafka group offset is not committed yet. */
  AFTER_FLUSH_BEFORE_COMMIT
}
