package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.limits.TokenBucket;
import io.canopy.gateway.ws.ClientMessage.Request;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import java.util.Set;

/**
 * One connection's rate limits on what it sends, whatever the transport (WebSocket or long-polling): a message
 * budget per connection and the namespace's write budget. Not thread-safe: one per connection, used on its loop.
 */
final class MessageAdmission {
  private static final Set<String> WRITES = Set.of("p", "m");

  private final GatewayLimits limits;
  private final String namespace;
  private final TokenBucket messageBudget;

  MessageAdmission(GatewayLimits limits, String namespace) {
    this.limits = limits;
    this.namespace = namespace;
    this.messageBudget = limits.newMessageBucket();
  }

  /** The message, the error answering it in its place when a budget is spent, or null to drop it. */
  ClientMessage admit(ClientMessage message) {
    if (!messageBudget.tryAcquire()) {
      limits.messageThrottled();
      Long r = message instanceof Request req ? (Long) req.r() : message instanceof Unusable u ? u.r() : null;
      return r == null ? null : new Unusable(r, ErrorCode.UNAVAILABLE, limits.messageRefusal());
    }
    if (message instanceof Request req && WRITES.contains(req.action()) && !limits.admitWrite(namespace)) {
      return new Unusable(req.r(), ErrorCode.UNAVAILABLE, limits.writeRefusal(namespace));
    }
    return message;
  }

  /** Spends one message of the budget for something the server sends unasked (an error notice); false if spent. */
  boolean tryNotice() {
    return messageBudget.tryAcquire();
  }
}
