package io.canopy.presence;

import io.canopy.core.ops.WriteOp;
import io.canopy.core.rules.Caller;
import java.util.Objects;

/**
 * One queued onDisconnect write: produced to the write log as an ordinary write of {@code namespace} by
 * {@code caller} (whom the processor judges it as) when its connection ends.
 */
public record QueuedWrite(String namespace, Caller caller, WriteOp op) {
  public QueuedWrite {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(op, "op");
  }

  public QueuedWrite withCaller(Caller newCaller) {
    return new QueuedWrite(namespace, newCaller, op);
  }

  public QueuedWrite withOp(WriteOp newOp) {
    return new QueuedWrite(namespace, caller, newOp);
  }
}
