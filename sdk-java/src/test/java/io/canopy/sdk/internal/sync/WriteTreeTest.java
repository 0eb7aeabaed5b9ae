package io.canopy.sdk.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pending-write trie against the naive reference: applying each write in order with {@code Node.set}. */
class WriteTreeTest {
  private static final String[] KEYS = {"a", "b", "c", "1", "2", "10"};

  private static Path randomPath(Random r, int maxDepth) {
    int depth = r.nextInt(maxDepth + 1);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      keys.add(KEYS[r.nextInt(KEYS.length)]);
    }
    return Path.of(keys.toArray(new String[0]));
  }

  private static Node randomNode(Random r, int depth) {
    int kind = r.nextInt(depth <= 0 ? 3 : 5);
    switch (kind) {
      case 0:
        return Node.empty();
      case 1:
        return LeafNode.of(r.nextInt(5));
      case 2:
        return LeafNode.of("s" + r.nextInt(3));
      default:
        Node n = Node.empty();
        int children = 1 + r.nextInt(12); // sometimes above the builder threshold
        for (int i = 0; i < children; i++) {
          n = n.withChild(KEYS[r.nextInt(KEYS.length)] + (r.nextBoolean() ? "" : "x" + r.nextInt(3)),
              randomNode(r, depth - 1));
        }
        return r.nextInt(4) == 0 ? n.withPriority((double) r.nextInt(3)) : n;
    }
  }

  @Test
  void matchesApplyingEachWriteInOrder() {
    Random r = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      Node server = randomNode(r, 3);
      WriteTree tree = new WriteTree();
      List<PendingWrite> writes = new ArrayList<>();
      Node sofar = server;
      int n = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        Path p = randomPath(r, 3);
        PendingWrite w;
        if (r.nextInt(3) == 0 && !p.isRoot()) {
          Map<Path, Node> merge = new LinkedHashMap<>();
          merge.put(Path.of(KEYS[r.nextInt(3)]), randomNode(r, 2));
          merge.put(Path.of("m" + r.nextInt(3), KEYS[r.nextInt(3)]), randomNode(r, 1));
          w = new PendingWrite(i, p, null, merge);
        } else if (r.nextInt(8) == 0 && !p.isRoot() && !sofar.get(p).isEmpty()) {
          // (a priority write to a location that is empty when written is a known approximation: see WriteTree)
          w = new PendingWrite(i, p.child(Path.PRIORITY_KEY), LeafNode.of("p" + r.nextInt(2)), null);
        } else {
          w = new PendingWrite(i, p, randomNode(r, 2), null);
        }
        writes.add(w);
        tree.add(w);
        sofar = applyAll(sofar, List.of(w));
      }
      if (r.nextBoolean()) {
        PendingWrite removed = writes.remove(r.nextInt(writes.size()));
        tree.remove(removed.id());
      }
      Node expected = applyAll(server, writes);
      Path at = randomPath(r, 2);
      String context = "round " + round + " server " + TreeJson.write(server, true) + " writes " + writes + " at " + at;
      assertThat(TreeJson.write(tree.apply(at, server.get(at)), true)).as(context)
          .isEqualTo(TreeJson.write(expected.get(at), true));
    }
  }

  private static Node applyAll(Node base, List<PendingWrite> writes) {
    Node expected = base;
    for (PendingWrite w : writes) {
      if (w.overwrite() != null) {
        expected = expected.set(w.path(), w.overwrite());
      } else {
        for (Map.Entry<Path, Node> e : w.merge().entrySet()) {
          expected = expected.set(w.path().child(e.getKey()), e.getValue());
        }
      }
    }
    return expected;
  }

  @Test
  void coversOnlyWhenAWriteReplacesTheWholeLocation() {
    WriteTree tree = new WriteTree();
    tree.add(new PendingWrite(1, Path.parse("a/b"), LeafNode.of(1), null));
    assertThat(tree.covers(Path.parse("a/b"))).isTrue();
    assertThat(tree.covers(Path.parse("a/b/c"))).isTrue();
    assertThat(tree.covers(Path.parse("a"))).isFalse();
    tree.remove(1);
    assertThat(tree.covers(Path.parse("a/b"))).isFalse();
  }
}
