package io.canopy.presence.memory;

import io.canopy.presence.ClusterState;
import io.canopy.presence.testing.ClusterStateConformance;

class MemoryClusterStateTest extends ClusterStateConformance {
  @Override
  protected ClusterState newState() {
    return new MemoryClusterState();
  }
}
