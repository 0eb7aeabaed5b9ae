package io.canopy.sdk;

/**
 * How a transaction ended.
 *
 * @param committed true if the new value was written, false if the function aborted
 * @param snapshot the value at the location afterwards (as the function last saw it when aborted)
 */
public record TransactionResult(boolean committed, DataSnapshot snapshot) {}
