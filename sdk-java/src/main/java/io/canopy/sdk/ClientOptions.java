package io.canopy.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CanopyClient} connects. Immutable; build one with {@link #builder(String)}. Defaults:
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code url}</td><td>(required)</td><td>the database URL, e.g. {@code http://localhost:9000?ns=demo}</td></tr>
 *   <tr><td>{@code namespace}</td><td>from the URL</td><td>overrides the URL's {@code ns} (or host label)</td></tr>
 *   <tr><td>{@code credentials}</td><td>{@link Credentials#none()}</td><td>who the client is</td></tr>
 *   <tr><td>{@code reconnectMinDelay}</td><td>{@value #DEFAULT_RECONNECT_MIN_MS} ms</td>
 *       <td>the first reconnect delay; doubles per failed attempt, with jitter</td></tr>
 *   <tr><td>{@code reconnectMaxDelay}</td><td>{@value #DEFAULT_RECONNECT_MAX_MS} ms</td><td>the longest delay</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_MS} ms</td>
 *       <td>for opening the socket and receiving the server's handshake</td></tr>
 *   <tr><td>{@code offlineGetTimeout}</td><td>{@value #DEFAULT_OFFLINE_GET_TIMEOUT_MS} ms</td>
 *       <td>how long {@code get()} waits for a connection when the value is not cached</td></tr>
 * </table>
 */
public final class ClientOptions {
  public static final long DEFAULT_RECONNECT_MIN_MS = 100;
  public static final long DEFAULT_RECONNECT_MAX_MS = 30_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_OFFLINE_GET_TIMEOUT_MS = 3_000;

  private final String url;
  private final String namespace;
  private final Credentials credentials;
  private final Duration reconnectMinDelay;
  private final Duration reconnectMaxDelay;
  private final Duration connectTimeout;
  private final Duration offlineGetTimeout;

  private ClientOptions(Builder b) {
    this.url = b.url;
    this.namespace = b.namespace;
    this.credentials = b.credentials;
    this.reconnectMinDelay = b.reconnectMinDelay;
    this.reconnectMaxDelay = b.reconnectMaxDelay;
    this.connectTimeout = b.connectTimeout;
    this.offlineGetTimeout = b.offlineGetTimeout;
  }

  /** Starts options for the database at {@code url}. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  public String url() {
    return url;
  }

  /** The namespace set explicitly, or null to take it from the URL. */
  public String namespace() {
    return namespace;
  }

  public Credentials credentials() {
    return credentials;
  }

  public Duration reconnectMinDelay() {
    return reconnectMinDelay;
  }

  public Duration reconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration offlineGetTimeout() {
    return offlineGetTimeout;
  }

  /** A builder with these options as its starting point. */
  public Builder toBuilder() {
    Builder b = new Builder(url);
    b.namespace = namespace;
    b.credentials = credentials;
    b.reconnectMinDelay = reconnectMinDelay;
    b.reconnectMaxDelay = reconnectMaxDelay;
    b.connectTimeout = connectTimeout;
    b.offlineGetTimeout = offlineGetTimeout;
    return b;
  }

  /** Builds {@link ClientOptions}; {@link #build()} checks the combination. */
  public static final class Builder {
    private final String url;
    private String namespace;
    private Credentials credentials = Credentials.none();
    private Duration reconnectMinDelay = Duration.ofMillis(DEFAULT_RECONNECT_MIN_MS);
    private Duration reconnectMaxDelay = Duration.ofMillis(DEFAULT_RECONNECT_MAX_MS);
    private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS);
    private Duration offlineGetTimeout = Duration.ofMillis(DEFAULT_OFFLINE_GET_TIMEOUT_MS);

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder reconnectDelay(Duration min, Duration max) {
      this.reconnectMinDelay = Objects.requireNonNull(min, "min");
      this.reconnectMaxDelay = Objects.requireNonNull(max, "max");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder offlineGetTimeout(Duration timeout) {
      this.offlineGetTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public ClientOptions build() {
      if (reconnectMinDelay.toMillis() < 1 || reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
        throw new IllegalArgumentException("ClientOptions: need 1 ms <= reconnect min delay <= max delay");
      }
      if (connectTimeout.toMillis() < 1 || offlineGetTimeout.isNegative()) {
        throw new IllegalArgumentException("ClientOptions: timeouts must be positive");
      }
      return new ClientOptions(this);
    }
  }
}
