/**
 * The processor: the {@link io.canopy.processor.Processor} lifecycle and its config. Subpackages: {@code .intake}
 * (consumer loop, ownership), {@code .batch} (Nagle policy, op-tree per partition), {@code .apply} (pure
 * verdicts), {@code .flush} (store writes, checkpoints, commits, roll-forward), {@code .emit} (changes producer).
 */
package io.canopy.processor;
