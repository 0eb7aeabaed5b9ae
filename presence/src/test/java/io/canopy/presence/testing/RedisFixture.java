package io.canopy.presence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server (embedded-redis ships a linux x86_64 6.2 binary) on a free loopback port, without
 * persistence, for one test class: {@code try (RedisFixture redis = RedisFixture.start()) {...}} or start it in
 * {@code @BeforeAll} and close it in {@code @AfterAll}. {@link #stop} kills the server (a Redis outage).
 */
public final class RedisFixture implements AutoCloseable {
  private final int port;
  private final RedisServer server;

  private RedisFixture(int port, RedisServer server) {
    this.port = port;
    this.server = server;
  }

  public static RedisFixture start() {
    int port = freePort();
    try {
      RedisServer server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .onShutdownForceStop(true)
          .build();
      server.start();
      return new RedisFixture(port, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server", e);
    }
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
