package io.canopy.presence.memory;

import io.canopy.presence.ConnectionRef;
import io.canopy.presence.QueuedWrite;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state shared by the SPIs of one {@link MemoryClusterState}; every access holds its monitor. */
final class MemoryState {
  /** Gateway → when its lease ends, in {@link #nowMs} time. */
  final Map<String, Long> leases = new HashMap<>();
  final Set<String> registered = new HashSet<>();
  final Set<String> fenced = new HashSet<>();
  final Map<ConnectionRef, List<QueuedWrite>> queues = new LinkedHashMap<>();
  /** Gateway → namespace → open connections. */
  final Map<String, Map<String, Long>> connections = new HashMap<>();
  /** "namespace window-length" → {window index, count}. */
  final Map<String, long[]> windows = new HashMap<>();

  static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  boolean live(String gatewayId) {
    Long until = leases.get(gatewayId);
    if (until == null) {
      return false;
    }
    if (until - nowMs() <= 0) {
      leases.remove(gatewayId);
      return false;
    }
    return true;
  }
}
