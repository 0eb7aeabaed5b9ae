package io.canopy.store.rocksdb;

import io.canopy.store.StoreException;
import java.nio.charset.StandardCharsets;

/**
 * Lossless bytes for any Java string: UTF-8, except that an unpaired surrogate (which UTF-8 cannot express and
 * {@link String#getBytes} would turn into {@code ?}) is written as the three-byte sequence of its code unit
 * (the "WTF-8" convention). Paths and values may contain unpaired surrogates (JSON escapes like {@code "\ud800"}),
 * and two different keys must never share bytes. Well-formed strings take the JDK's fast UTF-8 paths.
 */
final class Wtf8 {
  private Wtf8() {}

  static byte[] encode(String s) {
    return hasUnpairedSurrogate(s) ? encodeSlow(s) : s.getBytes(StandardCharsets.UTF_8);
  }

  static String decode(byte[] b, int off, int len) {
    for (int i = off, end = off + len - 1; i < end; i++) {
      // In well-formed UTF-8 the lead byte 0xED is followed by 0x80..0x9F; 0xA0..0xBF means a lone surrogate.
      if (b[i] == (byte) 0xED && (b[i + 1] & 0xFF) >= 0xA0) {
        return decodeSlow(b, off, len);
      }
    }
    return new String(b, off, len, StandardCharsets.UTF_8);
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] encodeSlow(String s) {
    byte[] out = new byte[s.length() * 3];
    int o = 0;
    for (int i = 0, n = s.length(); i < n; ) {
      int cp = s.codePointAt(i); // an unpaired surrogate comes back as itself
      i += Character.charCount(cp);
      if (cp < 0x80) {
        out[o++] = (byte) cp;
      } else if (cp < 0x800) {
        out[o++] = (byte) (0xC0 | (cp >> 6));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out[o++] = (byte) (0xE0 | (cp >> 12));
        out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        out[o++] = (byte) (0xF0 | (cp >> 18));
        out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
    return java.util.Arrays.copyOf(out, o);
  }

  private static String decodeSlow(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len);
    int i = off;
    int end = off + len;
    while (i < end) {
      int lead = b[i] & 0xFF;
      int n;
      int cp;
      if (lead < 0x80) {
        n = 1;
        cp = lead;
      } else if (lead >= 0xC0 && lead < 0xE0) {
        n = 2;
        cp = lead & 0x1F;
      } else if (lead >= 0xE0 && lead < 0xF0) {
        n = 3;
        cp = lead & 0x0F;
      } else if (lead >= 0xF0 && lead < 0xF8) {
        n = 4;
        cp = lead & 0x07;
      } else {
        throw corrupt(i);
      }
      if (i + n > end) {
        throw corrupt(i);
      }
      for (int k = 1; k < n; k++) {
        int cont = b[i + k] & 0xFF;
        if ((cont & 0xC0) != 0x80) {
          throw corrupt(i + k);
        }
        cp = (cp << 6) | (cont & 0x3F);
      }
      sb.appendCodePoint(cp);
      i += n;
    }
    return sb.toString();
  }

  private static StoreException corrupt(int at) {
    return new StoreException("corrupt string bytes in stored record at offset " + at);
  }
}
