package io.canopy.core.log;

/**
 * Where a verdict must go: the gateway instance that took the write and its request id there.
 * {@link #NONE} for writes nobody waits on (e.g. server-side writes).
 */
public record Origin(String gateway, long request) {
  public static final Origin NONE = new Origin("", 0);
}
