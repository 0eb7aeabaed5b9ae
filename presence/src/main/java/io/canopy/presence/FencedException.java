package io.canopy.presence;

/**
 * The gateway's state was claimed by another gateway (its lease had expired): it may no longer queue
 * onDisconnect writes under its id until it {@link NodeLiveness#rejoin rejoins}. Its connections' queues already
 * ran elsewhere, so the right reaction is to close them (the clients reconnect and queue their writes again).
 */
public final class FencedException extends RuntimeException {
  public FencedException(String gatewayId) {
    super("presence: gateway " + gatewayId + " was declared dead and its state claimed by another gateway");
  }
}
