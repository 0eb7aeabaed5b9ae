package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import java.util.Locale;

/**
 * Firebase's {@code writeSizeLimit}: a write whose estimated duration exceeds the level's target is refused
 * before anything is written. Canopy estimates a write's duration from its body size at a nominal
 * {@value #NOMINAL_BYTES_PER_SECOND} bytes per second (what a large tree write costs end to end: parsing, the
 * write log, the processor and the store), so each level is a body-size budget: tiny 1 MiB, small 10 MiB,
 * medium 30 MiB, large 60 MiB; unlimited allows up to the gateway's REST body limit (256 MiB by default). The
 * guard is applied while the body is read, so an oversized body is refused without being buffered.
 */
public enum WriteSizeLimit {
  TINY(1),
  SMALL(10),
  MEDIUM(30),
  LARGE(60),
  UNLIMITED(0);

  /** The throughput the duration estimate assumes. */
  public static final long NOMINAL_BYTES_PER_SECOND = 1024 * 1024;

  private final int targetSeconds;

  WriteSizeLimit(int targetSeconds) {
    this.targetSeconds = targetSeconds;
  }

  /** The level's name as clients send it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The target duration in seconds; 0 for unlimited. */
  public int targetSeconds() {
    return targetSeconds;
  }

  /** The largest body this level admits, given the gateway's own body limit. */
  public long maxBodyBytes(long gatewayLimit) {
    return this == UNLIMITED ? gatewayLimit : Math.min(gatewayLimit, targetSeconds * NOMINAL_BYTES_PER_SECOND);
  }

  /** The 400 for a body over this level's budget. */
  public CanopyException tooLarge(long bodyBytes) {
    String size = bodyBytes < 0 ? "more than " + maxBodyBytes(Long.MAX_VALUE) + " bytes" : bodyBytes + " bytes";
    return new CanopyException(ErrorCode.INVALID_DATA, "Write too large for writeSizeLimit=" + wireName()
        + ": writing " + size + " is estimated to take longer than the " + targetSeconds + " s target (at most "
        + maxBodyBytes(Long.MAX_VALUE) / (1024 * 1024) + " MiB); use a larger writeSizeLimit or split the write");
  }

  /** The level named {@code name} (as sent: lower case), or null. */
  public static WriteSizeLimit byName(String name) {
    for (WriteSizeLimit l : values()) {
      if (l.wireName().equals(name)) {
        return l;
      }
    }
    return null;
  }
}
