package io.canopy.sdk.internal.connection;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A database URL and the WebSocket endpoint it stands for. Accepted forms: {@code http://host:port?ns=NAME} (the
 * emulator style), {@code ws://...} / {@code wss://...} / {@code https://...} likewise, and Firebase's
 * {@code https://NAME.host} (the namespace is the first host label when there is no {@code ns} parameter and the host
 * is a domain name, not {@code localhost} or an IP address). Without a port, http/ws use 80 and https/wss 443.
 *
 * @param secure true for TLS (https/wss)
 * @param host the host name
 * @param port the port
 * @param namespace the namespace, or null to let the server pick its default
 */
public record DatabaseUrl(boolean secure, String host, int port, String namespace) {

  /** Parses {@code url}; {@code namespace}, when not null, overrides what the URL names. */
  public static DatabaseUrl parse(String url, String namespace) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("The database URL must not be empty");
    }
    String text = url.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid database URL \"" + url + "\": " + e.getMessage(), e);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = switch (scheme) {
      case "http", "ws" -> false;
      case "https", "wss" -> true;
      default -> throw new IllegalArgumentException("Invalid database URL \"" + url
          + "\": the scheme must be http, https, ws or wss");
    };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Invalid database URL \"" + url + "\": no host");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : (secure ? 443 : 80);
    String ns = namespace;
    if (ns == null && uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals("ns")) {
          ns = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    if (ns == null && isDomainName(host)) {
      ns = host.substring(0, host.indexOf('.')).toLowerCase(Locale.ROOT);
    }
    if (ns != null && ns.isBlank()) {
      ns = null;
    }
    return new DatabaseUrl(secure, host, port, ns);
  }

  private static boolean isDomainName(String host) {
    if (!host.contains(".") || host.startsWith("[") || host.contains(":")) {
      return false;
    }
    String last = host.substring(host.lastIndexOf('.') + 1);
    return !last.isEmpty() && !Character.isDigit(last.charAt(0)); // not an IPv4 address
  }

  /** The WebSocket endpoint: {@code ws[s]://host:port/.ws?v=5[&ns=NAME]}. */
  public URI webSocketUri() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create((secure ? "wss" : "ws") + "://" + h + ":" + port + "/.ws?v=5"
        + (namespace == null ? "" : "&ns=" + namespace));
  }

  /** {@code http[s]://host:port} plus {@code ?ns=NAME}: how the URL is shown. */
  @Override
  public String toString() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return (secure ? "https" : "http") + "://" + h + ":" + port + (namespace == null ? "" : "?ns=" + namespace);
  }
}
