package io.canopy.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.path.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  private static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** True if {@code key} lies in {@code [start, end)}. */
  private static boolean inRange(byte[] key, byte[] start, byte[] end) {
    return compare(key, start) >= 0 && compare(key, end) < 0;
  }

  @Test
  void encodesNamespaceThenSeparatedKeys() {
    assertThat(KeyCodec.nodeKey("ns", Path.ROOT)).containsExactly('n', 's', 0);
    assertThat(KeyCodec.nodeKey("ns", Path.parse("/a/bc"))).containsExactly('n', 's', 0, 1, 'a', 1, 'b', 'c');
    assertThat(KeyCodec.nodeKey("ns", Path.parse("/é"))).containsExactly('n', 's', 0, 1, 0xC3, 0xA9);
    assertThat(KeyCodec.childKey(KeyCodec.nodeKey("ns", Path.parse("/a")), "b"))
        .isEqualTo(KeyCodec.nodeKey("ns", Path.parse("/a/b")));
  }

  @Test
  void aSubtreeIsExactlyOneKeyRange() {
    byte[] a = KeyCodec.nodeKey("ns", Path.parse("/x/a"));
    byte[] start = a;
    byte[] end = KeyCodec.subtreeEnd(a);
    for (String inside : List.of("/x/a", "/x/a/b", "/x/a/b/c", "/x/a/0", "/x/a/ ", "/x/a/😀/z")) {
      assertThat(inRange(KeyCodec.nodeKey("ns", Path.parse(inside)), start, end)).as(inside).isTrue();
    }
    for (String outside : List.of("/x", "/x/a0", "/x/a b", "/x/a-", "/x/ab", "/x/a~", "/x/a!", "/x/aé", "/x/b",
        "/x/A", "/y/a")) {
      assertThat(inRange(KeyCodec.nodeKey("ns", Path.parse(outside)), start, end)).as(outside).isFalse();
    }
    assertThat(inRange(KeyCodec.nodeKey("ns", Path.parse("/x/a/b")), KeyCodec.descendantsStart(a), end)).isTrue();
    assertThat(inRange(a, KeyCodec.descendantsStart(a), end)).isFalse();
  }

  @Test
  void namespacesThatArePrefixesOfEachOtherDoNotOverlap() {
    byte[] root = KeyCodec.nodeKey("ab", Path.ROOT);
    for (String ns : List.of("a", "abc", "ab-", "ab0")) {
      assertThat(inRange(KeyCodec.nodeKey(ns, Path.parse("/k")), root, KeyCodec.subtreeEnd(root))).as(ns).isFalse();
      assertThat(inRange(KeyCodec.nodeKey(ns, Path.ROOT), root, KeyCodec.subtreeEnd(root))).as(ns).isFalse();
    }
  }

  @Test
  void decodesRelativeKeysAndSegments() {
    byte[] base = KeyCodec.nodeKey("ns", Path.parse("/a"));
    byte[] key = KeyCodec.nodeKey("ns", Path.parse("/a/b c/😀"));
    assertThat(KeyCodec.relativeKeys(key, base.length)).containsExactly("b c", "😀");
    assertThat(KeyCodec.relativeKeys(base, base.length)).isEmpty();
    int start = base.length + 1;
    int end = KeyCodec.segmentEnd(key, start);
    assertThat(KeyCodec.segment(key, start, end)).isEqualTo("b c");
    assertThat(KeyCodec.subtreeEnd(key, end)).isEqualTo(KeyCodec.subtreeEnd(KeyCodec.nodeKey("ns",
        Path.parse("/a/b c"))));
  }

  @Test
  void keepsKeysThatLookAlikeInLossyEncodingsDistinct() {
    byte[] k1 = KeyCodec.nodeKey("ns", Path.of("a\uD83D\uDE00"));
    byte[] k2 = KeyCodec.nodeKey("ns", Path.of("a?"));
    byte[] k3 = KeyCodec.nodeKey("ns", Path.of("a\uFFFD"));
    assertThat(k1).isNotEqualTo(k2).isNotEqualTo(k3);
    assertThat(KeyCodec.relativeKeys(k1, KeyCodec.nodeKey("ns", Path.ROOT).length)).containsExactly("a\uD83D\uDE00");
  }
}
