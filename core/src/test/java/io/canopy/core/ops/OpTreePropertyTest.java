package io.canopy.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The op-tree against the naive reference: applying its composed overwrites to the base tree (in any order) must
 * give the tree of applying every original overwrite one by one, and reads through it must see that state.
 */
class OpTreePropertyTest {
  private static final String[] KEYS = {"a", "b", "1"};

  @Test
  void composedBatchesEqualSequentialApplication() {
    Random rnd = new Random(20261122L);
    for (int round = 0; round < 4000; round++) {
      runRound(rnd, round);
    }
  }

  private void runRound(Random rnd, int round) {
    Node base = Node.empty();
    for (int i = 0; i < rnd.nextInt(6); i++) {
      base = base.set(randomPath(rnd), randomValue(rnd, 2, false));
    }
    Node expected = base;
    final Node baseTree = base;
    OpTree tree = new OpTree(ns -> TreeReader.of(baseTree));
    int ops = 1 + rnd.nextInt(14);
    List<Overwrite> applied = new ArrayList<>();
    for (int i = 0; i < ops; i++) {
      Overwrite o = new Overwrite(randomPath(rnd), randomValue(rnd, 2, true));
      applied.add(o);
      tree.add("ns", o);
      expected = o.applyTo(expected);
      Path probe = randomPath(rnd);
      String context = "round " + round + " base " + baseTree + " ops " + applied;
      assertThat(tree.read("ns", probe)).as(context + " read " + probe).isEqualTo(expected.get(probe));
      assertThat(tree.reader("ns").exists(probe)).as(context + " exists " + probe)
          .isEqualTo(!expected.get(probe).isEmpty());
    }
    assertThat(tree.opCount()).isEqualTo(ops);
    List<Overwrite> composed = tree.drain().getOrDefault("ns", List.of());
    assertNonOverlapping(composed);
    String context = "round " + round + " base " + baseTree + " ops " + applied + " composed " + composed;
    assertThat(applyAll(baseTree, composed)).as(context).isEqualTo(expected);
    List<Overwrite> reversed = new ArrayList<>(composed);
    Collections.reverse(reversed);
    assertThat(applyAll(baseTree, reversed)).as("reversed " + context).isEqualTo(expected);
    assertThat(composed.size()).isLessThanOrEqualTo(ops);
  }

  @Test
  void hotPathBurstBecomesOneEntry() {
    OpTree tree = new OpTree(ns -> TreeReader.of(Node.empty()));
    for (int i = 0; i < 1000; i++) {
      tree.add("ns", new Overwrite(Path.parse("/counter"), LeafNode.of(i)));
    }
    assertThat(tree.opCount()).isEqualTo(1000);
    assertThat(tree.entryCount()).isEqualTo(1);
    assertThat(tree.drain()).isEqualTo(Map.of("ns", List.of(new Overwrite(Path.parse("/counter"), LeafNode.of(999)))));
  }

  @Test
  void laterSetAboveReplacesPendingWritesBelow() {
    OpTree tree = new OpTree(ns -> TreeReader.of(Node.empty()));
    tree.add("ns", new Overwrite(Path.parse("/a/b"), LeafNode.of(1)));
    tree.add("ns", new Overwrite(Path.parse("/a/c/d"), LeafNode.of(2)));
    tree.add("ns", new Overwrite(Path.parse("/a"), LeafNode.of("x")));
    assertThat(tree.drain().get("ns")).containsExactly(new Overwrite(Path.parse("/a"), LeafNode.of("x")));
  }

  @Test
  void writeBelowPendingSetIsFoldedIntoIt() {
    OpTree tree = new OpTree(ns -> TreeReader.of(Node.empty()));
    tree.add("ns", new Overwrite(Path.parse("/a"), ChildrenNode.builder().put("b", LeafNode.of(1)).build()));
    tree.add("ns", new Overwrite(Path.parse("/a/c"), LeafNode.of(2)));
    Node expected = ChildrenNode.builder().put("b", LeafNode.of(1)).put("c", LeafNode.of(2)).build();
    assertThat(tree.drain().get("ns")).containsExactly(new Overwrite(Path.parse("/a"), expected));
  }

  @Test
  void deleteThatEmptiesAParentIsRecordedAtTheParent() {
    Node base = Node.empty().set(Path.parse("/a/b"), LeafNode.of(1)).set(Path.parse("/a"),
        ChildrenNode.builder().put("b", LeafNode.of(1)).priority(5).build());
    OpTree tree = new OpTree(ns -> TreeReader.of(base));
    tree.add("ns", new Overwrite(Path.parse("/a/b"), Node.empty()));
    tree.add("ns", new Overwrite(Path.parse("/a/c"), LeafNode.of(2)));
    // /a vanished with its priority before /a/c was written: the result has no priority on /a.
    Node expected = Node.empty().set(Path.parse("/a/c"), LeafNode.of(2));
    assertThat(applyAll(base, tree.drain().get("ns"))).isEqualTo(expected);
  }

  private static void assertNonOverlapping(List<Overwrite> list) {
    for (int i = 0; i < list.size(); i++) {
      for (int j = 0; j < list.size(); j++) {
        if (i != j) {
          assertThat(list.get(i).path().overlaps(list.get(j).path())).as(list.toString()).isFalse();
        }
      }
    }
  }

  private static Node applyAll(Node root, List<Overwrite> list) {
    return Overwrites.applyBatch(root, list);
  }

  private static Path randomPath(Random rnd) {
    int depth = rnd.nextInt(4);
    String[] keys = new String[depth];
    for (int i = 0; i < depth; i++) {
      keys[i] = KEYS[rnd.nextInt(KEYS.length)];
    }
    return Path.of(keys);
  }

  private static Node randomValue(Random rnd, int depth, boolean allowEmpty) {
    int kind = rnd.nextInt(10);
    if (allowEmpty && kind < 3) {
      return Node.empty();
    }
    Object priority = switch (rnd.nextInt(4)) {
      case 0 -> (double) rnd.nextInt(3);
      case 1 -> "p" + rnd.nextInt(2);
      default -> null;
    };
    if (kind < 7 || depth == 0) {
      Object v = switch (rnd.nextInt(3)) {
        case 0 -> (double) rnd.nextInt(5);
        case 1 -> "s" + rnd.nextInt(3);
        default -> rnd.nextBoolean();
      };
      return LeafNode.of(v, priority);
    }
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i = 0; i < 1 + rnd.nextInt(2); i++) {
      b.put(KEYS[rnd.nextInt(KEYS.length)], randomValue(rnd, depth - 1, false));
    }
    return b.priority(priority).build();
  }
}
