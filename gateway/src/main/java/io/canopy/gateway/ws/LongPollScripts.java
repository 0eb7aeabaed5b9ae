package io.canopy.gateway.ws;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/**
 * The texts long-polling answers with. The JS client loads each poll as a {@code <script>} in a hidden iframe whose
 * parent window holds two callbacks named with the client's callback id ({@code cb} of the start request):
 * {@code pLPCommand<cb>(command, ...)} for {@code start} and {@code close}, and {@code pRTLPCB<cb>(n, [messages])}
 * for the server's messages, numbered from 0 (the hello) so the client can put responses back in order. Scripts
 * call them through {@code parent}, which is the window itself when a script is loaded without an iframe.
 */
final class LongPollScripts {
  /** The content type of every poll answer. */
  static final String JAVASCRIPT = "application/javascript; charset=utf-8";
  /** An answer that carries nothing: the client sends its next poll when it has loaded. */
  static final String KEEPALIVE = "// keepalive\n";

  private LongPollScripts() {}

  /** {@code pLPCommand<cb>('start', id, pw);}: the session's id and password, for every later request. */
  static String start(String cb, String id, String pw) {
    return "parent.pLPCommand" + cb + "('start'," + quote(id) + "," + quote(pw) + ");\n";
  }

  /** {@code pRTLPCB<cb>(n, [m1, m2, ...]);}: numbered response {@code n}, whose messages are JSON texts. */
  static String data(String cb, long n, List<String> messages) {
    int size = 32 + cb.length();
    for (String m : messages) {
      size += m.length() + 1;
    }
    StringBuilder out = new StringBuilder(size);
    out.append("parent.pRTLPCB").append(cb).append('(').append(n).append(",[");
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendScriptSafe(out, messages.get(i));
    }
    return out.append("]);\n").toString();
  }

  /**
   * {@code pLPCommand<cb>('close', last)}: no more polls. With {@code last} >= 1 the client first takes every response
   * up to that number; without, it closes at once.
   */
  static String close(String cb, long last) {
    return "parent.pLPCommand" + cb + "('close'" + (last >= 1 ? "," + last : "") + ");\n";
  }

  /**
   * The page of the client's hidden "disconnect frame": when it goes away (the transport closes, or the whole page
   * does), it tells the server with a beacon to {@code disconnUrl} (a synchronous request where beacons don't exist),
   * so the session's on-disconnect writes run at once rather than after a timeout.
   */
  static String disconnectFrame(String disconnUrl) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><script>\n"
        + "(function () {\n"
        + "  var url = " + quote(disconnUrl) + ", sent = false;\n"
        + "  function bye() {\n"
        + "    if (sent) { return; }\n"
        + "    sent = true;\n"
        + "    try { if (navigator.sendBeacon && navigator.sendBeacon(url)) { return; } } catch (e) {}\n"
        + "    try { var x = new XMLHttpRequest(); x.open('GET', url, false); x.send(); } catch (e) {}\n"
        + "  }\n"
        + "  window.addEventListener('pagehide', bye);\n"
        + "  window.addEventListener('unload', bye);\n"
        + "})();\n"
        + "</script></body></html>\n";
  }

  /** A JavaScript string literal (JSON's quoting, which is valid JavaScript here). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    appendScriptSafe(out, String.valueOf(JsonStringEncoder.getInstance().quoteAsString(s)));
    return out.append('"').toString();
  }

  /**
   * Appends JSON as script text: U+2028 and U+2029 (line terminators to older JavaScript engines, legal in JSON
   * strings) are escaped, and so is {@code </} so that the text could be inlined in a page as well.
   */
  private static void appendScriptSafe(StringBuilder out, String json) {
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\u2028') {
        out.append("\\u2028");
      } else if (c == '\u2029') {
        out.append("\\u2029");
      } else if (c == '/' && i > 0 && json.charAt(i - 1) == '<') {
        out.append("\\/");
      } else {
        out.append(c);
      }
    }
  }
}
