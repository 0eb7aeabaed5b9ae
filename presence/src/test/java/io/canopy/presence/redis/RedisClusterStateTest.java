package io.canopy.presence.redis;

import io.canopy.presence.ClusterState;
import io.canopy.presence.testing.ClusterStateConformance;
import io.canopy.presence.testing.RedisFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance suite on a real redis-server, started and stopped by this class. */
class RedisClusterStateTest extends ClusterStateConformance {
  private static RedisFixture redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisFixture.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected ClusterState newState() {
    return RedisClusterState.connect(redis.uri());
  }

  @Override
  protected ClusterState sibling() {
    return RedisClusterState.connect(redis.uri());
  }
}
