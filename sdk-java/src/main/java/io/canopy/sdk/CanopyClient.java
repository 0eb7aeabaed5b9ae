package io.canopy.sdk;

import io.canopy.core.path.Path;
import io.canopy.core.pushid.PushIdGenerator;
import io.canopy.sdk.internal.connection.Backoff;
import io.canopy.sdk.internal.connection.DatabaseUrl;
import io.canopy.sdk.internal.connection.JdkWebSocketTransport;
import io.canopy.sdk.internal.connection.PersistentConnection;
import io.canopy.sdk.internal.events.EventLoop;
import io.canopy.sdk.internal.sync.Repo;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A connection to one Canopy database (one namespace), made by {@link Canopy#connect}. It connects in the
 * background and stays connected: after any loss it reconnects with exponential backoff and jitter, listens again,
 * and re-sends the writes the server had not acknowledged, in their original order, followed by the writes made
 * while offline.
 *
 * <h2>Threading</h2>
 * Each client has one event thread. Every listener, every future returned by the client ({@code set}, {@code get},
 * transactions, ...) and every transaction function runs on it, one at a time, in the order the events happened;
 * never on an I/O thread. Methods of the client and its references may be called from any thread. Do not block the
 * event thread (for example with {@code future.join()} inside a listener): chain with {@code thenAccept} instead.
 *
 * <p>{@link #close()} closes the connection, fails the operations still pending with code
 * {@link CanopyException.Code#CLIENT_CLOSED} and stops the event thread.
 */
public final class CanopyClient implements AutoCloseable {
  private final ClientOptions options;
  private final DatabaseUrl url;
  private final EventLoop loop;
  private final ExecutorService ioExecutor;
  private final Repo repo;
  private final PushIdGenerator pushIds;

  CanopyClient(ClientOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.url = DatabaseUrl.parse(options.url(), options.namespace());
    this.loop = new EventLoop();
    this.ioExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "canopy-io");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder()
        .executor(ioExecutor)
        .connectTimeout(options.connectTimeout())
        .build();
    Credentials credentials = options.credentials();
    PersistentConnection connection = new PersistentConnection(loop, url.webSocketUri(),
        JdkWebSocketTransport.factory(http, options.connectTimeout()),
        new Backoff(options.reconnectMinDelay().toMillis(), options.reconnectMaxDelay().toMillis(),
            ThreadLocalRandom.current()),
        credentials.action(), credentials.token(), options.connectTimeout().toMillis(),
        options.offlineGetTimeout().toMillis());
    this.repo = new Repo(loop, connection);
    this.pushIds = new PushIdGenerator(repo::serverTime, new SecureRandom());
    repo.start();
  }

  /** The root of the database. */
  public DatabaseReference ref() {
    return new DatabaseReference(this, Path.ROOT, false);
  }

  /**
   * The location at {@code path} (such as {@code "users/ada"}; {@code "/"} or {@code ""} is the root). Paths below
   * {@code .info} are the client's own read-only information: {@code .info/connected} (whether the client is
   * connected) and {@code .info/serverTimeOffset} (server clock minus local clock, in ms).
   */
  public DatabaseReference ref(String path) {
    return ref().child(path);
  }

  /** Disconnects and stays offline until {@link #goOnline()}; writes queue meanwhile, listeners keep their data. */
  public void goOffline() {
    repo.goOffline();
  }

  /** Reconnects after {@link #goOffline()}. */
  public void goOnline() {
    repo.goOnline();
  }

  /** True while connected to the server (the value of {@code .info/connected}). */
  public boolean isConnected() {
    return repo.isConnected();
  }

  /** The server's clock minus this machine's, in ms, from the last connection's handshake. */
  public long serverTimeOffsetMillis() {
    return repo.serverTimeOffset();
  }

  /** The namespace (database name), or null if the server's default is used. */
  public String namespace() {
    return url.namespace();
  }

  /** The database URL, such as {@code http://localhost:9000?ns=demo}. */
  public String url() {
    return url.toString();
  }

  public ClientOptions options() {
    return options;
  }

  /**
   * Closes the connection and releases the threads. Pending writes and transactions fail with code
   * {@link CanopyException.Code#CLIENT_CLOSED}; listeners get no more events. Idempotent.
   */
  @Override
  public void close() {
    repo.close();
    ioExecutor.shutdownNow();
  }

  String nextPushId() {
    return pushIds.next();
  }

  Repo repo() {
    return repo;
  }

  @Override
  public String toString() {
    return "CanopyClient[" + url + "]";
  }
}
