package io.canopy.core.log;

import io.canopy.core.ops.WriteOp;
import io.canopy.core.rules.Caller;
import java.util.Objects;

/**
 * A record of {@code canopy.writes}: one client write, unresolved, as the gateway accepted it.
 *
 * @param namespace the tree it writes (also the record key, so a namespace stays on one partition)
 * @param op the write
 * @param expectedHash for compare-and-set: the hash the current value must have ("" = absent); null otherwise
 * @param origin who is waiting for the verdict
 * @param caller who wrote it: the processor judges the write against the rules as this caller
 */
public record WriteRecord(String namespace, WriteOp op, String expectedHash, Origin origin, Caller caller) {
  public WriteRecord {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(caller, "caller");
  }

  /** An admin write (rules bypassed): server-side writes and tests. */
  public WriteRecord(String namespace, WriteOp op, String expectedHash, Origin origin) {
    this(namespace, op, expectedHash, origin, Caller.ADMIN);
  }
}
