package io.canopy.acceptance.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Firebase node hash (PROTOCOL.md §6.2) for data without priorities, as the SDKs compute it for a
 * transaction's compare-and-set {@code p}: base64(SHA-1(text)), with leaves {@code number:<16 hex digits of the
 * double>}, {@code string:<raw>}, {@code boolean:<b>}, and objects as {@code :key:hash} per non-empty child in
 * Firebase key order (int32 keys first, numerically). The empty node hashes to {@code ""}.
 */
public final class Hashes {
  private static final Pattern INT_KEY = Pattern.compile("^-?0*\\d{1,10}$");
  private static final Comparator<String> KEY_ORDER = Hashes::compareKeys;

  private Hashes() {}

  public static String of(JsonNode node) {
    JsonNode n = Json.canonical(node);
    if (n.isNull()) {
      return "";
    }
    return sha1(text(n));
  }

  private static String text(JsonNode n) {
    if (n.isNumber()) {
      return "number:" + String.format("%016x", Double.doubleToLongBits(n.doubleValue()));
    }
    if (n.isBoolean()) {
      return "boolean:" + n.booleanValue();
    }
    if (n.isTextual()) {
      return "string:" + n.textValue();
    }
    List<String> keys = new ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    keys.sort(KEY_ORDER);
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      sb.append(':').append(k).append(':').append(sha1(text(n.get(k))));
    }
    return sb.toString();
  }

  private static String sha1(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Integer intKey(String k) {
    if (!INT_KEY.matcher(k).matches()) {
      return null;
    }
    try {
      return Integer.parseInt(k);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static int compareKeys(String a, String b) {
    Integer ia = intKey(a);
    Integer ib = intKey(b);
    if (ia != null && ib != null) {
      int c = Integer.compare(ia, ib);
      return c != 0 ? c : Integer.compare(a.length(), b.length());
    }
    if (ia != null) {
      return -1;
    }
    if (ib != null) {
      return 1;
    }
    return a.compareTo(b);
  }
}
