package io.canopy.sdk;

/**
 * The entry point: {@code Canopy.connect("http://localhost:9000?ns=demo")} returns a {@link CanopyClient} for the
 * namespace {@code demo} of the Canopy server at localhost:9000.
 *
 * <p>URLs: {@code http://host:port?ns=NAME} (or {@code https}, {@code ws}, {@code wss}); Firebase-style
 * {@code https://NAME.example.com} (the namespace is the first host label); without a namespace the server's
 * default namespace is used. Connecting happens in the background: the methods return at once, and operations made
 * before the connection is up are queued.
 */
public final class Canopy {
  private Canopy() {}

  /** Connects without credentials. */
  public static CanopyClient connect(String url) {
    return connect(ClientOptions.builder(url).build());
  }

  /** Connects with {@code credentials}, for example {@link Credentials#admin()}. */
  public static CanopyClient connect(String url, Credentials credentials) {
    return connect(ClientOptions.builder(url).credentials(credentials).build());
  }

  /** Connects with every option spelled out. */
  public static CanopyClient connect(ClientOptions options) {
    return new CanopyClient(options);
  }
}
