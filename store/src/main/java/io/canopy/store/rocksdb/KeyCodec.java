package io.canopy.store.rocksdb;

import io.canopy.core.path.Path;
import io.canopy.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Materialized paths as sorted byte keys: {@code namespace 0x00 (0x01 key)*}, each key in {@link Wtf8}. The root
 * of a namespace is {@code namespace 0x00}; {@code /a/b} is {@code namespace 0x00 0x01 a 0x01 b}.
 *
 * <p>Keys never contain bytes below 0x20 (control characters are invalid in keys, and multi-byte sequences use
 * bytes from 0x80), and namespaces are {@code [a-z0-9-]}. So for a node key {@code K}: its descendants are exactly
 * the keys in {@code [K 0x01, K 0x02)} and its subtree (the node and its descendants) exactly
 * {@code [K, K 0x02)}. A sibling whose name extends the node's ({@code /a0}, {@code /a b} next to {@code /a})
 * continues with a byte of at least 0x20 and lies outside. Byte order is not Firebase key order: callers sort.
 */
final class KeyCodec {
  static final byte NAMESPACE_END = 0x00;
  static final byte SEPARATOR = 0x01;
  static final byte PAST_SEPARATOR = 0x02;

  private KeyCodec() {}

  /** The key of the node at {@code path}; {@code namespace} must be valid. */
  static byte[] nodeKey(String namespace, Path path) {
    byte[] ns = namespace.getBytes(StandardCharsets.US_ASCII);
    byte[][] parts = new byte[path.size()][];
    int length = ns.length + 1;
    int i = 0;
    for (String key : path) {
      parts[i] = Wtf8.encode(key);
      length += 1 + parts[i].length;
      i++;
    }
    byte[] out = Arrays.copyOf(ns, length);
    out[ns.length] = NAMESPACE_END;
    int o = ns.length + 1;
    for (byte[] part : parts) {
      out[o++] = SEPARATOR;
      System.arraycopy(part, 0, out, o, part.length);
      o += part.length;
    }
    return out;
  }

  /** The key of the child {@code key} of the node whose key is {@code parentKey}. */
  static byte[] childKey(byte[] parentKey, String key) {
    byte[] k = Wtf8.encode(key);
    byte[] out = Arrays.copyOf(parentKey, parentKey.length + 1 + k.length);
    out[parentKey.length] = SEPARATOR;
    System.arraycopy(k, 0, out, parentKey.length + 1, k.length);
    return out;
  }

  /** The first key of the descendants of {@code nodeKey}: also the prefix all of them share. */
  static byte[] descendantsStart(byte[] nodeKey) {
    return withByte(nodeKey, nodeKey.length, SEPARATOR);
  }

  /** The exclusive end of both the descendants and the subtree of {@code nodeKey}. */
  static byte[] subtreeEnd(byte[] nodeKey) {
    return withByte(nodeKey, nodeKey.length, PAST_SEPARATOR);
  }

  /**
   * The exclusive end of the subtree of the node whose key is the first {@code length} bytes of {@code key}: what
   * to seek to in order to skip that node's subtree.
   */
  static byte[] subtreeEnd(byte[] key, int length) {
    return withByte(key, length, PAST_SEPARATOR);
  }

  private static byte[] withByte(byte[] key, int length, byte last) {
    byte[] out = Arrays.copyOf(key, length + 1);
    out[length] = last;
    return out;
  }

  static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Where the key segment starting at {@code start} ends (the next separator or the end of the key). */
  static int segmentEnd(byte[] key, int start) {
    int i = start;
    while (i < key.length && key[i] != SEPARATOR) {
      i++;
    }
    return i;
  }

  /** The segment starting at {@code start} and ending at {@code end}, decoded. */
  static String segment(byte[] key, int start, int end) {
    return Wtf8.decode(key, start, end - start);
  }

  /**
   * The keys of {@code key} below the node whose key is its first {@code baseLength} bytes: empty for that node
   * itself, {@code [b, c]} for {@code base 0x01 b 0x01 c}.
   */
  static List<String> relativeKeys(byte[] key, int baseLength) {
    if (key.length == baseLength) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(4);
    int i = baseLength;
    while (i < key.length) {
      if (key[i] != SEPARATOR) {
        throw new StoreException("malformed node key: expected a separator at byte " + i);
      }
      int end = segmentEnd(key, i + 1);
      keys.add(segment(key, i + 1, end));
      i = end;
    }
    return keys;
  }
}
