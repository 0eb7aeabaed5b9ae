package io.canopy.core.path;

import java.util.Comparator;

/**
 * Firebase key order: keys that are 32-bit integers (optional minus, no leading zeros unless "0", no "-0")
 * sort first, numerically; every other key follows in UTF-16 code-unit order.
 */
public final class KeyOrder {
  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  /** Sentinels used by queries: below and above every real key. */
  public static final String MIN_NAME = "[MIN_NAME]";
  public static final String MAX_NAME = "[MAX_NAME]";

  private KeyOrder() {}

  public static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(MIN_NAME) || b.equals(MAX_NAME)) {
      return -1;
    }
    if (b.equals(MIN_NAME) || a.equals(MAX_NAME)) {
      return 1;
    }
    long ia = intValue(a);
    long ib = intValue(b);
    boolean aInt = ia != NOT_INT;
    boolean bInt = ib != NOT_INT;
    if (aInt && bInt) {
      int c = Long.compare(ia, ib);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(a.length(), b.length());
      // Same value and length ("00" vs "-0"): the SDK calls them equal; the unsigned form goes first.
      return c != 0 ? c : Boolean.compare(a.charAt(0) == '-', b.charAt(0) == '-');
    }
    if (aInt) {
      return -1;
    }
    if (bInt) {
      return 1;
    }
    return a.compareTo(b);
  }

  private static final long NOT_INT = Long.MIN_VALUE;

  /**
   * The key's integer value if Firebase treats it as an integer key, else {@link #NOT_INT}. As the JS SDK:
   * {@code ^-?0*\d{1,10}$} whose value fits in int32 ("01", "00" and "-0" are integer keys).
   */
  static long intValue(String key) {
    int n = key.length();
    int i = 0;
    boolean negative = n > 0 && key.charAt(0) == '-';
    if (negative) {
      i = 1;
    }
    if (i >= n) {
      return NOT_INT;
    }
    while (i < n - 1 && key.charAt(i) == '0') {
      i++; // leading zeros do not count towards the 10 digits
    }
    if (n - i > 10) {
      return NOT_INT;
    }
    long v = 0;
    for (int j = i; j < n; j++) {
      char c = key.charAt(j);
      if (c < '0' || c > '9') {
        return NOT_INT;
      }
      v = v * 10 + (c - '0');
    }
    v = negative ? -v : v;
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      return NOT_INT;
    }
    return v;
  }

  /** True if Firebase orders this key as an integer. */
  public static boolean isIntegerKey(String key) {
    return intValue(key) != NOT_INT;
  }
}
