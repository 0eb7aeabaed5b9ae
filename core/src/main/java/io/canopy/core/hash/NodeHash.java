package io.canopy.core.hash;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Firebase's node hash (PROTOCOL §6.2), as the JS and Java SDKs compute it for compare-and-set puts: the
 * base64 of the SHA-1 of a text that describes the node, {@code ""} for an empty node.
 *
 * <ul>
 *   <li>Leaf text: {@code [priority:<pri>:]<type>:<value>}, type {@code boolean}, {@code number} (value as the 16
 *       lower-case hex digits of the IEEE-754 double) or {@code string} (raw).
 *   <li>Object text: {@code [priority:<pri>:]} then {@code :<key>:<hash(child)>} for every child with a non-empty
 *       hash, children in priority-index order (no priority, numbers ascending, strings, ties by
 *       {@link io.canopy.core.path.KeyOrder key order}).
 * </ul>
 *
 * <p>The text is never built as a String: it is UTF-8 encoded straight into one {@link MessageDigest} per tree
 * level, and child hashes are fed to their parent's digest as base64 bytes. Stack depth is the tree depth.
 * Unresolved {@link ServerValue} placeholders cannot be hashed ({@link IllegalArgumentException}).
 */
public final class NodeHash {
  private static final byte[] PRIORITY = ascii("priority:");
  private static final byte[] NUMBER = ascii("number:");
  private static final byte[] STRING = ascii("string:");
  private static final byte[] TRUE = ascii("boolean:true");
  private static final byte[] FALSE = ascii("boolean:false");
  private static final byte[] HEX = ascii("0123456789abcdef");
  private static final byte COLON = ':';

  /** Length of every non-empty hash: base64 of 20 bytes. */
  public static final int HASH_LENGTH = 28;

  private NodeHash() {}

  /** The hash of {@code node}; {@code ""} for an empty node. */
  public static String hash(Node node) {
    if (node.isEmpty()) {
      return "";
    }
    Hasher h = new Hasher();
    byte[] out = new byte[HASH_LENGTH];
    h.hashInto(node, 0, out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The hash of a leaf without priority holding {@code leafValue}: a String, a Boolean or a Number (hashed as its
   * double value); null hashes to {@code ""}.
   */
  public static String hashOf(Object leafValue) {
    if (leafValue == null) {
      return "";
    }
    return hash(LeafNode.of(leafValue)); // LeafNode turns every Number into its double
  }

  /** The hash text's rendering of a double: the 16 lower-case hex digits of its IEEE-754 bits, big-endian. */
  public static String doubleHex(double d) {
    byte[] b = new byte[16];
    writeHex(Double.doubleToLongBits(d), b, 0);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static void writeHex(long bits, byte[] dst, int off) {
    for (int i = 15; i >= 0; i--) {
      dst[off + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Per-call state: a digest and a child-hash buffer per tree level (a parent's digest stays open while its
   * children are hashed one level down) and a scratch buffer for UTF-8 encoding. Not thread-safe.
   */
  private static final class Hasher {
    private final List<MessageDigest> digests = new ArrayList<>();
    private final List<byte[]> childHashes = new ArrayList<>();
    private final byte[] scratch = new byte[1024];
    private final byte[] digestOut = new byte[20];

    private MessageDigest digest(int level) {
      while (digests.size() <= level) {
        try {
          digests.add(MessageDigest.getInstance("SHA-1"));
          childHashes.add(new byte[HASH_LENGTH]);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
      }
      return digests.get(level);
    }

    /** Writes the 28 base64 bytes of the (non-empty) node's hash into {@code out}. */
    void hashInto(Node node, int level, byte[] out) {
      MessageDigest md = digest(level);
      md.reset();
      Object priority = node.priority();
      if (priority != null) {
        md.update(PRIORITY);
        updateLeafText(md, priority, true);
        md.update(COLON);
      }
      if (node instanceof LeafNode leaf) {
        updateLeafText(md, leaf.value(), false);
      } else {
        ChildrenNode obj = (ChildrenNode) node;
        byte[] childHash = childHashes.get(level);
        int[] order = priorityOrder(obj);
        int n = obj.childCount();
        for (int j = 0; j < n; j++) {
          int i = order == null ? j : order[j];
          Node child = obj.childAt(i);
          if (child.isEmpty()) {
            continue; // normalised trees have none; never hash them
          }
          hashInto(child, level + 1, childHash);
          md.update(COLON);
          updateUtf8(md, obj.keyAt(i));
          md.update(COLON);
          md.update(childHash);
        }
      }
      try {
        md.digest(digestOut, 0, digestOut.length);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      Base64.getEncoder().encode(digestOut, out);
    }

    private void updateLeafText(MessageDigest md, Object v, boolean isPriority) {
      if (v instanceof Double d) {
        md.update(NUMBER);
        writeHex(Double.doubleToLongBits(d), scratch, 0);
        md.update(scratch, 0, 16);
      } else if (v instanceof String s) {
        md.update(STRING);
        updateUtf8(md, s);
      } else if (v instanceof Boolean b && !isPriority) {
        md.update(b ? TRUE : FALSE);
      } else if (v instanceof ServerValue) {
        throw new IllegalArgumentException("can't hash an unresolved server value: " + v);
      } else {
        throw new IllegalArgumentException("can't hash " + (isPriority ? "priority " : "value ") + v);
      }
    }

    /**
     * UTF-8 without an intermediate byte array. Surrogate pairs become 4 bytes; a lone surrogate is encoded as
     * its own 3-byte sequence (as the JS SDK's encoder does for a lone trailing surrogate).
     */
    private void updateUtf8(MessageDigest md, String s) {
      byte[] buf = scratch;
      int p = 0;
      int n = s.length();
      for (int i = 0; i < n; i++) {
        if (p > buf.length - 4) {
          md.update(buf, 0, p);
          p = 0;
        }
        char c = s.charAt(i);
        if (c < 0x80) {
          buf[p++] = (byte) c;
        } else if (c < 0x800) {
          buf[p++] = (byte) (0xc0 | (c >> 6));
          buf[p++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          buf[p++] = (byte) (0xf0 | (cp >> 18));
          buf[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          buf[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          buf[p++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          buf[p++] = (byte) (0xe0 | (c >> 12));
          buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          buf[p++] = (byte) (0x80 | (c & 0x3f));
        }
      }
      md.update(buf, 0, p);
    }
  }

  /**
   * The child indexes of {@code obj} in priority-index order, or null when no child has a priority (then the
   * stored key order is already right).
   */
  private static int[] priorityOrder(ChildrenNode obj) {
    int n = obj.childCount();
    boolean any = false;
    for (int i = 0; i < n && !any; i++) {
      any = obj.childAt(i).priority() != null;
    }
    if (!any) {
      return null;
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    // Stable sort on the priority alone keeps ties in stored key order.
    Arrays.sort(idx, (a, b) -> comparePriorities(obj.childAt(a).priority(), obj.childAt(b).priority()));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = idx[i];
    }
    return order;
  }

  /** Priority-index order of two priorities: null first, then numbers ascending, then strings (UTF-16 order). */
  static int comparePriorities(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    if (ra == 1) {
      double x = (Double) a;
      double y = (Double) b;
      return x < y ? -1 : x > y ? 1 : 0; // -0 == 0, as JS compares them
    }
    if (ra == 2) {
      return ((String) a).compareTo((String) b);
    }
    return 0;
  }

  private static int rank(Object p) {
    if (p == null) {
      return 0;
    }
    if (p instanceof Double) {
      return 1;
    }
    if (p instanceof String) {
      return 2;
    }
    throw new IllegalArgumentException("can't hash priority " + p);
  }

}
