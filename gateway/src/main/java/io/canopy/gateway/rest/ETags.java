package io.canopy.gateway.rest;

import io.canopy.core.hash.NodeHash;
import io.canopy.core.tree.Node;

/**
 * Firebase REST conditional requests: a GET with {@value #REQUEST_HEADER}{@code : true} gets an {@code ETag} (the
 * node's Firebase hash, or {@value #NULL_ETAG} for no data), and a PUT/DELETE with {@code if-match} is written as
 * a compare-and-set on that hash.
 */
public final class ETags {
  public static final String REQUEST_HEADER = "X-Firebase-ETag";
  public static final String NULL_ETAG = "null_etag";

  private ETags() {}

  /** The ETag of a value. */
  public static String of(Node value) {
    String hash = NodeHash.hash(value);
    return hash.isEmpty() ? NULL_ETAG : hash;
  }

  /** The hash an {@code if-match} header expects ("" = no data); tolerates HTTP quoting ({@code "..."}, {@code W/}). */
  public static String expectedHash(String ifMatch) {
    String tag = unquote(ifMatch);
    return tag.equals(NULL_ETAG) ? "" : tag;
  }

  /** True if an {@code if-none-match} header names the current ETag (the GET answers 304). */
  public static boolean matchesNoneMatch(String ifNoneMatch, String currentETag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = unquote(candidate);
      if (tag.equals("*") || tag.equals(currentETag)) {
        return true;
      }
    }
    return false;
  }

  /** True if the header value asks for an ETag. */
  public static boolean requested(String headerValue) {
    return headerValue != null && headerValue.trim().equalsIgnoreCase("true");
  }

  private static String unquote(String tag) {
    String t = tag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }
}
