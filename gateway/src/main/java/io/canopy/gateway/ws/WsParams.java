package io.canopy.gateway.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The query parameters of a {@code /.ws} URL, parsed leniently: the JS SDK joins {@code k=v} pairs without encoding
 * them, so a value that is not valid percent-encoding is taken as it is, a repeated key keeps its first value, and
 * unknown keys are ignored. Missing parameters are null.
 *
 * @param ns the namespace
 * @param v the protocol version (clients send "5")
 * @param ls the session id of the client's previous connection
 * @param s the long-polling session being upgraded (unused: there is no long-polling)
 * @param p the app id (JS)
 * @param ac an App Check token (JS)
 */
record WsParams(String ns, String v, String ls, String s, String p, String ac) {
  static final WsParams NONE = new WsParams(null, null, null, null, null, null);

  static WsParams parse(String query) {
    if (query == null || query.isEmpty()) {
      return NONE;
    }
    String ns = null;
    String v = null;
    String ls = null;
    String s = null;
    String p = null;
    String ac = null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      switch (key) {
        case "ns" -> ns = ns == null ? value : ns;
        case "v" -> v = v == null ? value : v;
        case "ls" -> ls = ls == null ? value : ls;
        case "s" -> s = s == null ? value : s;
        case "p" -> p = p == null ? value : p;
        case "ac" -> ac = ac == null ? value : ac;
        default -> {
          // r=f (console), future parameters: ignored
        }
      }
    }
    return new WsParams(ns, v, ls, s, p, ac);
  }

  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    try {
      // Only %XX escapes: the JS client sends values raw, so a '+' is a plus, not a space.
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // not percent-encoding after all
    }
  }
}
