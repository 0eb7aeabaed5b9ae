package io.canopy.server;

import java.util.Locale;

/** What one server process runs. */
public enum Role {
  /** Gateway, pusher and processor in one JVM (with embedded Kafka and RocksDB unless told otherwise). */
  ALL,
  /** Gateway and pusher: serves clients, produces writes; needs external Kafka and a shared store. */
  GATEWAY,
  /** Processor only: consumes writes, emits changes, flushes to the store. */
  PROCESSOR;

  public boolean runsGateway() {
    return this != PROCESSOR;
  }

  public boolean runsProcessor() {
    return this != GATEWAY;
  }

  /** The lower-case name used on the command line. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code all}, {@code gateway} or {@code processor}; null if it is none of them. */
  public static Role parse(String value) {
    for (Role r : values()) {
      if (r.flagValue().equals(value)) {
        return r;
      }
    }
    return null;
  }
}
