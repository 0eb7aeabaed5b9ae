package io.canopy.presence;

import java.util.List;

/** The onDisconnect queue of one connection of a dead gateway, handed to the one gateway that claimed it. */
public record OrphanQueue(ConnectionRef connection, List<QueuedWrite> writes) {
  public OrphanQueue {
    writes = List.copyOf(writes);
  }
}
