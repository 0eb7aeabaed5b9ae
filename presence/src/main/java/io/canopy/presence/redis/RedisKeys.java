package io.canopy.presence.redis;

import io.canopy.presence.ConnectionRef;

/** The key scheme (see the package doc). */
final class RedisKeys {
  static final String PREFIX = "canopy:";
  static final String GATEWAYS = PREFIX + "gateways";

  private RedisKeys() {}

  static String gateway(String gatewayId) {
    return PREFIX + "{" + gatewayId + "}:";
  }

  static String lease(String gatewayId) {
    return gateway(gatewayId) + "lease";
  }

  static String fence(String gatewayId) {
    return gateway(gatewayId) + "fence";
  }

  static String queues(String gatewayId) {
    return gateway(gatewayId) + "od";
  }

  /** The prefix of a gateway's queue lists; the connection id follows. */
  static String queuePrefix(String gatewayId) {
    return queues(gatewayId) + ":";
  }

  static String queue(ConnectionRef c) {
    return queuePrefix(c.gatewayId()) + c.connectionId();
  }

  static String connections(String gatewayId) {
    return gateway(gatewayId) + "conns";
  }

  static String ratePrefix(String namespace, long windowMs) {
    return PREFIX + "rate:{" + namespace + "}:" + windowMs + ":";
  }
}
