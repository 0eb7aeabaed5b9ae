package io.canopy.core.query;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.List;
import java.util.Random;

/** Random children for property tests: small value domains so that ties and type mixes are frequent. */
final class RandomTrees {
  private RandomTrees() {}

  static final List<String> KEYS = List.of(
      "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "-1", "0", "1", "01", "2", "9",
      "10", "A", "Z", "_", "aa", "ab", "x y", "~", "\u00fc", "2147483648");

  static Object scalar(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return r.nextBoolean();
      case 1:
      case 2:
        return (double) (r.nextInt(7) - 3);
      case 3:
        return r.nextInt(3) - 1 + 0.5;
      case 4:
      case 5:
        return List.of("", "a", "b", "ab", "B", "10", "9").get(r.nextInt(7));
      case 6:
        return -0.0;
      default:
        return (double) r.nextInt(3);
    }
  }

  static Object priority(Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return null;
      case 1:
        return (double) (r.nextInt(5) - 2);
      case 2:
        return List.of("", "a", "b").get(r.nextInt(3));
      default:
        return null;
    }
  }

  /** A child: a leaf, or an object with maybe an "s" (leaf or object) and maybe other keys; maybe a priority. */
  static Node child(Random r) {
    Node n;
    if (r.nextInt(3) == 0) {
      n = LeafNode.of(scalar(r));
    } else {
      ChildrenNode.Builder b = ChildrenNode.builder();
      int kind = r.nextInt(5);
      if (kind < 3) {
        b.put("s", LeafNode.of(scalar(r)));
      } else if (kind == 3) {
        b.put("s", ChildrenNode.builder().put("deep", LeafNode.of(scalar(r))).build());
      }
      b.put("t", LeafNode.of((double) r.nextInt(3)));
      n = b.build();
    }
    return n.withPriority(priority(r));
  }

  static String key(Random r) {
    return KEYS.get(r.nextInt(KEYS.size()));
  }

  /** A node with up to {@code max} random children. */
  static Node node(Random r, int max) {
    ChildrenNode.Builder b = ChildrenNode.builder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      b.put(key(r), child(r));
    }
    return b.build();
  }

  /** A random bound value suited to the index. */
  static Object boundValue(Random r, QueryIndex index) {
    if (index.kind() == QueryIndex.Kind.KEY) {
      return key(r);
    }
    if (index.kind() == QueryIndex.Kind.PRIORITY) {
      return priority(r);
    }
    return r.nextInt(6) == 0 ? null : scalar(r);
  }

  /** A random query over the random data above. */
  static QuerySpec spec(Random r) {
    QuerySpec.Builder b = QuerySpec.builder();
    QueryIndex index;
    switch (r.nextInt(5)) {
      case 0 -> {
        b.orderByPriority();
        index = QueryIndex.PRIORITY;
      }
      case 1 -> {
        b.orderByKey();
        index = QueryIndex.KEY;
      }
      case 2 -> {
        b.orderByValue();
        index = QueryIndex.VALUE;
      }
      case 3 -> {
        b.orderByChild("s/deep");
        index = QueryIndex.child("s/deep");
      }
      default -> {
        b.orderByChild("s");
        index = QueryIndex.child("s");
      }
    }
    boolean keyIndex = index.kind() == QueryIndex.Kind.KEY;
    if (r.nextInt(4) == 0) {
      b.equalTo(boundValue(r, index), !keyIndex && r.nextBoolean() ? key(r) : null);
    } else {
      switch (r.nextInt(4)) {
        case 0 -> b.startAt(boundValue(r, index), !keyIndex && r.nextBoolean() ? key(r) : null);
        case 1 -> b.startAfter(boundValue(r, index), !keyIndex && r.nextBoolean() ? key(r) : null);
        default -> { }
      }
      switch (r.nextInt(4)) {
        case 0 -> b.endAt(boundValue(r, index), !keyIndex && r.nextBoolean() ? key(r) : null);
        case 1 -> b.endBefore(boundValue(r, index), !keyIndex && r.nextBoolean() ? key(r) : null);
        default -> { }
      }
    }
    switch (r.nextInt(3)) {
      case 0 -> b.limitToFirst(1 + r.nextInt(5));
      case 1 -> b.limitToLast(1 + r.nextInt(5));
      default -> { }
    }
    return b.build();
  }
}
