package io.canopy.gateway.ns;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Picks the namespace (tenant tree) of a request the way Firebase and its emulator do: the {@code ns} query
 * parameter wins; otherwise the first label of a host name like {@code mydb.example.com}; otherwise the default.
 * Hosts that carry no database name (IP literals and single-label names such as {@code localhost} or a Docker
 * service name) fall through to the default, so {@code http://localhost:9000/x.json} just works, while
 * {@code http://demo.localhost:9000/x.json} selects {@code demo}.
 */
public final class NamespaceResolver {
  /** Valid namespace names: they become database names in MongoDB and key prefixes in RocksDB. */
  public static final String PATTERN = "[a-z0-9-]{1,50}";

  private static final Pattern VALID = Pattern.compile(PATTERN);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final String defaultNamespace;

  public NamespaceResolver(String defaultNamespace) {
    if (!isValid(defaultNamespace)) {
      throw new IllegalArgumentException("ns: default namespace must match " + PATTERN + ": " + defaultNamespace);
    }
    this.defaultNamespace = defaultNamespace;
  }

  public static boolean isValid(String namespace) {
    return namespace != null && VALID.matcher(namespace).matches();
  }

  /**
   * The namespace of a request.
   *
   * @param nsParam the {@code ns} query parameter, or null
   * @param hostHeader the Host header (or HTTP/2 authority), or null
   * @throws CanopyException (invalid_path, 400) if the chosen name is not valid
   */
  public String resolve(String nsParam, String hostHeader) {
    if (nsParam != null) {
      return validated(nsParam, "ns parameter");
    }
    String label = databaseLabel(hostHeader);
    return label == null ? defaultNamespace : validated(label.toLowerCase(Locale.ROOT), "host name");
  }

  /** The first label of a multi-label host name, or null if the host names no database. */
  static String databaseLabel(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return null;
    }
    String host = stripPort(hostHeader.trim());
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1); // fully qualified form "db.example.com."
    }
    int dot = host.indexOf('.');
    if (host.startsWith("[") || dot <= 0 || IPV4.matcher(host).matches()) {
      return null;
    }
    return host.substring(0, dot);
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      return host; // IPv6 literal, handled as "no database"
    }
    int colon = host.lastIndexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }

  private static String validated(String ns, String source) {
    if (!isValid(ns)) {
      throw new CanopyException(ErrorCode.INVALID_PATH, "Invalid namespace \"" + abbreviate(ns) + "\" (from the "
          + source + "): namespaces are 1 to 50 characters of a-z, 0-9 and -");
    }
    return ns;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
