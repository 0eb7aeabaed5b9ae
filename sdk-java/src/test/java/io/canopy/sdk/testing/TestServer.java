package io.canopy.sdk.testing;

import io.canopy.server.CanopyServer;
import io.canopy.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Canopy server in this JVM (embedded Kafka, RocksDB, processor, pusher, gateway) on a free port, with its
 * data in a temporary directory deleted on {@link #close()}. Start one per test class; tests use distinct
 * namespaces ({@link #namespace(String)}).
 */
public final class TestServer implements AutoCloseable {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Path dataDir;
  private final CanopyServer server;

  private TestServer(Path dataDir, CanopyServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  public static TestServer start() {
    try {
      Path dir = Files.createTempDirectory("canopy-sdk-it");
      CanopyServer server = CanopyServer.start(ServerConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0));
      return new TestServer(dir, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return server.url();
  }

  /** The database URL of namespace {@code ns}. */
  public String url(String ns) {
    return baseUrl() + "?ns=" + ns;
  }

  /** A fresh namespace name for one test. */
  public static String namespace(String hint) {
    String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (clean.length() > 30) {
      clean = clean.substring(0, 30);
    }
    return clean + "-" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
  }

  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
