package io.canopy.core.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTest {
  private static Path p(String s) {
    return Path.parseWrite(s);
  }

  private static Node leaf(Object v) {
    return LeafNode.of(v);
  }

  private static Node obj(Object... keyValues) {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      b.put((String) keyValues[i], v instanceof Node n ? n : LeafNode.of(v));
    }
    return b.build();
  }

  private static List<String> keys(Node n) {
    List<String> keys = new ArrayList<>();
    n.forEachChild((k, c) -> keys.add(k));
    return keys;
  }

  // ---- basics ----

  @Test
  void emptyNode() {
    Node e = Node.empty();
    assertThat(e.isEmpty()).isTrue();
    assertThat(e.isLeaf()).isFalse();
    assertThat(e.priority()).isNull();
    assertThat(e.withPriority(5.0)).isSameAs(e);
    assertThat(e.child("a")).isSameAs(e);
    assertThat(e.child(".priority")).isSameAs(e);
    assertThat(e.childCount()).isZero();
    assertThat(e.get(p("a/b"))).isSameAs(e);
    assertThat(e.withChild("a", Node.empty())).isSameAs(e);
    assertThat(e.withChild(".priority", leaf(1))).isSameAs(e);
    assertThat(e.toString()).isEqualTo("null");
    assertThat(keys(e)).isEmpty();
  }

  @Test
  void leafValuesAreNormalised() {
    assertThat(((LeafNode) leaf(5)).value()).isEqualTo(5.0);
    assertThat(((LeafNode) leaf(5L)).value()).isEqualTo(5.0);
    assertThat(((LeafNode) leaf(1.5f)).value()).isEqualTo(1.5);
    assertThat(((LeafNode) leaf(new java.math.BigDecimal("2.5"))).value()).isEqualTo(2.5);
    assertThat(((LeafNode) leaf("s")).value()).isEqualTo("s");
    assertThat(((LeafNode) leaf(true)).value()).isEqualTo(true);
    assertThat(leaf(5)).isEqualTo(leaf(5.0)).hasSameHashCodeAs(leaf(5.0));
    assertThat(leaf(5)).isNotEqualTo(leaf("5"));
    Node l = leaf("x");
    assertThat(l.isLeaf()).isTrue();
    assertThat(l.isEmpty()).isFalse();
    assertThat(l.childCount()).isZero();
    assertThat(l.child("a").isEmpty()).isTrue();
    assertThat(keys(l)).isEmpty();
  }

  @Test
  void invalidLeafValuesAndPriorities() {
    for (Object bad : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, null, 'c',
        new Object(), List.of()}) {
      assertThatThrownBy(() -> LeafNode.of(bad))
          .isInstanceOf(CanopyException.class)
          .satisfies(e -> assertThat(((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_DATA));
    }
    for (Object bad : new Object[] {true, Double.NaN, Double.NEGATIVE_INFINITY, new Object()}) {
      assertThatThrownBy(() -> LeafNode.of(1, bad)).isInstanceOf(CanopyException.class);
      assertThatThrownBy(() -> leaf(1).withPriority(bad)).isInstanceOf(CanopyException.class);
      assertThatThrownBy(() -> ChildrenNode.builder().priority(bad)).isInstanceOf(CanopyException.class);
    }
    assertThatThrownBy(() -> leaf(1).set(p(".priority"), leaf(true))).isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> leaf(1).set(p(".priority"), obj("a", 1))).isInstanceOf(CanopyException.class);
  }

  @Test
  void priorities() {
    assertThat(LeafNode.of(1, 3).priority()).isEqualTo(3.0);
    assertThat(LeafNode.of(1, "p").priority()).isEqualTo("p");
    assertThat(LeafNode.of(1, ServerValue.TIMESTAMP).priority()).isEqualTo(ServerValue.TIMESTAMP);
    Node withPri = leaf(1).withPriority(2);
    assertThat(withPri.priority()).isEqualTo(2.0);
    assertThat(withPri).isNotEqualTo(leaf(1));
    assertThat(withPri.withPriority(null)).isEqualTo(leaf(1));
    assertThat(withPri.withPriority(2.0)).isSameAs(withPri);
    assertThat(withPri.child(".priority")).isEqualTo(leaf(2));
    Node o = obj("a", 1).withPriority("x");
    assertThat(o.priority()).isEqualTo("x");
    assertThat(o.child(".priority")).isEqualTo(leaf("x"));
    assertThat(o).isNotEqualTo(obj("a", 1));
    assertThat(o.withPriority("x")).isSameAs(o);
    assertThat(obj("a", 1).child(".priority").isEmpty()).isTrue();
  }

  // ---- set / get ----

  @Test
  void setAndGet() {
    Node root = Node.empty()
        .set(p("a/b/c"), leaf(1))
        .set(p("a/d"), leaf("x"))
        .set(p("e"), leaf(true));
    assertThat(root.get(p("a/b/c"))).isEqualTo(leaf(1));
    assertThat(root.get(p("a/d"))).isEqualTo(leaf("x"));
    assertThat(root.get(p("e"))).isEqualTo(leaf(true));
    assertThat(root.get(p("a/b/c/d")).isEmpty()).isTrue();
    assertThat(root.get(p("zz/b")).isEmpty()).isTrue();
    assertThat(root.get(Path.ROOT)).isSameAs(root);
    assertThat(keys(root)).containsExactly("a", "e");
    assertThat(keys(root.child("a"))).containsExactly("b", "d");
    assertThat(root.set(Path.ROOT, leaf(7))).isEqualTo(leaf(7));
    assertThat(root.set(Path.ROOT, Node.empty()).isEmpty()).isTrue();
    // Replacing a subtree.
    Node replaced = root.set(p("a"), leaf(2));
    assertThat(replaced.get(p("a"))).isEqualTo(leaf(2));
    assertThat(replaced.get(p("a/b")).isEmpty()).isTrue();
    // The original is untouched (immutability).
    assertThat(root.get(p("a/b/c"))).isEqualTo(leaf(1));
  }

  @Test
  void writingEmptyDeletesAndParentsVanish() {
    Node root = Node.empty().set(p("a/b/c"), leaf(1)).set(p("x"), leaf(2));
    Node deleted = root.set(p("a/b/c"), Node.empty());
    assertThat(deleted.get(p("a")).isEmpty()).isTrue();
    assertThat(keys(deleted)).containsExactly("x");
    assertThat(deleted.set(p("x"), Node.empty())).isSameAs(Node.empty());
    // Deleting something absent changes nothing.
    assertThat(root.set(p("nope/deeper"), Node.empty())).isEqualTo(root);
    assertThat(root.set(p("a/b/c/d"), Node.empty())).isEqualTo(root);
    // Writing an empty object is a delete.
    assertThat(root.set(p("a"), ChildrenNode.builder().build())).isEqualTo(obj("x", 2));
  }

  @Test
  void vanishingParentsTakeTheirPriorityWithThem() {
    Node root = Node.empty().set(p("a/b"), leaf(1)).set(p("a/.priority"), leaf(5));
    assertThat(root.child("a").priority()).isEqualTo(5.0);
    Node gone = root.set(p("a/b"), Node.empty());
    assertThat(gone.isEmpty()).isTrue();
    Node recreated = gone.set(p("a/c"), leaf(2));
    assertThat(recreated.child("a").priority()).isNull();
    // A sibling keeps the parent (and its priority) alive.
    Node two = root.set(p("a/c"), leaf(2)).set(p("a/b"), Node.empty());
    assertThat(two.child("a").priority()).isEqualTo(5.0);
    assertThat(keys(two.child("a"))).containsExactly("c");
  }

  @Test
  void writingBelowALeafKeepsItsPriority() {
    Node root = Node.empty().set(p("a"), LeafNode.of("v", 7));
    Node below = root.set(p("a/b"), leaf(1));
    assertThat(below.child("a").isLeaf()).isFalse();
    assertThat(below.child("a").priority()).isEqualTo(7.0);
    assertThat(below.get(p("a/b"))).isEqualTo(leaf(1));
    assertThat(below.get(p("a/b")).priority()).isNull();
    Node deeper = root.set(p("a/b/c"), leaf(1));
    assertThat(deeper.child("a").priority()).isEqualTo(7.0);
    assertThat(deeper.get(p("a/b/c"))).isEqualTo(leaf(1));
    // Writing empty below a leaf leaves the leaf alone.
    assertThat(root.set(p("a/b"), Node.empty())).isEqualTo(root);
    assertThat(root.set(p("a/b/.priority"), leaf(1))).isEqualTo(root);
    assertThat(leaf("v").withChild("x", Node.empty())).isEqualTo(leaf("v"));
  }

  @Test
  void priorityPaths() {
    Node root = Node.empty().set(p("a/b"), leaf(1)).set(p("c"), leaf("x"));
    Node withPri = root.set(p("a/.priority"), leaf(3));
    assertThat(withPri.child("a").priority()).isEqualTo(3.0);
    assertThat(withPri.get(p("a/.priority"))).isEqualTo(leaf(3));
    assertThat(withPri.get(p("a/b"))).isEqualTo(leaf(1));
    assertThat(withPri.set(p("c/.priority"), leaf("s")).get(p("c"))).isEqualTo(LeafNode.of("x", "s"));
    assertThat(withPri.set(p(".priority"), leaf(9)).priority()).isEqualTo(9.0);
    // Setting the priority to null removes it.
    assertThat(withPri.set(p("a/.priority"), Node.empty()).child("a").priority()).isNull();
    assertThat(withPri.set(p("a/.priority"), Node.empty())).isEqualTo(root);
    // Nothing happens on an empty node.
    assertThat(root.set(p("nope/.priority"), leaf(1))).isEqualTo(root);
    assertThat(Node.empty().set(p(".priority"), leaf(1))).isSameAs(Node.empty());
    assertThat(Node.empty().set(p("a/b/.priority"), leaf(1)).isEmpty()).isTrue();
    // Overwriting a node replaces its priority too.
    assertThat(withPri.set(p("a"), obj("z", 1)).child("a").priority()).isNull();
    // Priorities may be server values in unresolved write data.
    assertThat(root.set(p("c/.priority"), LeafNode.of(ServerValue.TIMESTAMP)).get(p("c")).priority())
        .isEqualTo(ServerValue.TIMESTAMP);
  }

  @Test
  void withChildSemantics() {
    Node o = obj("a", 1, "b", 2);
    assertThat(o.withChild("a", leaf(1))).isEqualTo(o);
    Node same = o.child("a");
    assertThat(o.withChild("a", same)).isSameAs(o);
    assertThat(o.withChild("zz", Node.empty())).isSameAs(o);
    assertThat(o.withChild("a", Node.empty())).isEqualTo(obj("b", 2));
    assertThat(o.withChild("a", Node.empty()).withChild("b", Node.empty())).isSameAs(Node.empty());
    assertThat(keys(o.withChild("10", leaf(0)).withChild("9", leaf(0)).withChild("A", leaf(0))))
        .containsExactly("9", "10", "A", "a", "b");
    assertThatThrownBy(() -> o.withChild("bad.key", leaf(1))).isInstanceOf(CanopyException.class);
    assertThat(o.withPriority(4).withChild("c", leaf(3)).priority()).isEqualTo(4.0);
    assertThat(o.withPriority(4).withChild("a", Node.empty()).priority()).isEqualTo(4.0);
  }

  /**
   * BUG (reported, minor): ChildrenNode.withChild validates a new key, but EmptyNode.withChild and
   * LeafNode.withChild (which create the first child) do not, so an invalid key gets into a tree that way.
   */
  @Test
  void withChildValidatesNewKeysOnEveryNodeType() {
    assertThatThrownBy(() -> obj("a", 1).withChild("bad.key", leaf(1))).isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> Node.empty().withChild("bad.key", leaf(1))).isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> leaf("v").withChild("bad/key", leaf(1))).isInstanceOf(CanopyException.class);
  }

  @Test
  void equality() {
    Node a = Node.empty().set(p("x/y"), leaf(1)).set(p("z"), leaf("s"));
    Node b = obj("z", "s", "x", obj("y", 1));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.withPriority(1)).isNotEqualTo(b);
    assertThat(a.withPriority(1)).isEqualTo(b.withPriority(1.0));
    assertThat(obj("a", 1)).isNotEqualTo(leaf(1));
    assertThat(obj("a", 1)).isNotEqualTo(obj("a", "1"));
    assertThat(obj("a", 1)).isNotEqualTo(obj("b", 1));
    assertThat(LeafNode.of(1, "p")).isEqualTo(LeafNode.of(1.0, "p")).isNotEqualTo(LeafNode.of(1, "q"));
    assertThat(Node.empty()).isEqualTo(Node.empty());
    assertThat(leaf(1)).isNotEqualTo(Node.empty());
  }

  // ---- builder ----

  @Test
  void builderSortsAndDeduplicates() {
    Node n = ChildrenNode.builder()
        .put("b", leaf(1))
        .put("10", leaf(2))
        .put("a", leaf(3))
        .put("9", leaf(4))
        .put("b", leaf(5))
        .put("a", leaf(6))
        .put("skip", Node.empty())
        .build();
    assertThat(keys(n)).containsExactly("9", "10", "a", "b");
    assertThat(n.child("b")).isEqualTo(leaf(5));
    assertThat(n.child("a")).isEqualTo(leaf(6));
    assertThat(n.child("9")).isEqualTo(leaf(4));
    assertThat(n.childCount()).isEqualTo(4);
    ChildrenNode c = (ChildrenNode) n;
    assertThat(c.keyAt(1)).isEqualTo("10");
    assertThat(c.childAt(1)).isEqualTo(leaf(2));
    assertThat(n).isEqualTo(Node.empty().set(p("b"), leaf(5)).set(p("a"), leaf(6)).set(p("10"), leaf(2))
        .set(p("9"), leaf(4)));
  }

  @Test
  void builderEdgeCases() {
    assertThat(ChildrenNode.builder().build()).isSameAs(Node.empty());
    assertThat(ChildrenNode.builder().put("a", Node.empty()).priority(3).build()).isSameAs(Node.empty());
    assertThat(ChildrenNode.builder().put("a", leaf(1)).priority(3).build().priority()).isEqualTo(3.0);
    // Already-sorted input with many keys (growth past the initial capacity).
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i = 0; i < 100; i++) {
      b.put(Integer.toString(i), leaf(i));
    }
    Node n = b.build();
    assertThat(n.childCount()).isEqualTo(100);
    assertThat(n.child("42")).isEqualTo(leaf(42));
    // Reverse order, with duplicates of every key: the later put wins.
    ChildrenNode.Builder r = ChildrenNode.builder();
    for (int i = 99; i >= 0; i--) {
      r.put("k" + i, leaf(-i));
    }
    for (int i = 99; i >= 0; i--) {
      r.put("k" + i, leaf(i));
    }
    Node rn = r.build();
    assertThat(rn.childCount()).isEqualTo(100);
    assertThat(rn.child("k7")).isEqualTo(leaf(7));
    assertThat(keys(rn).get(0)).isEqualTo("k0");
    assertThat(keys(rn).get(99)).isEqualTo("k99");
  }

  /**
   * Regression: a later put of an empty node removes an earlier value of the same key (as JavaScript's
   * JSON.parse keeps the last duplicate, so {"a":1,"a":null} has no "a").
   */
  @Test
  void builderLaterEmptyPutRemovesEarlierValue() {
    Node n = ChildrenNode.builder().put("a", leaf(1)).put("b", leaf(2)).put("a", Node.empty()).build();
    assertThat(keys(n)).containsExactly("b");
  }

  @Test
  void toStringIsReadable() {
    assertThat(obj("a", 1, "b", "x").withPriority("p").toString()).contains("a:1.0").contains("b:x")
        .contains(".priority:p");
    assertThat(LeafNode.of("v", 2).toString()).contains("v").contains("priority 2.0");
  }

  @Test
  void serverValues() {
    assertThat(ServerValue.TIMESTAMP).isEqualTo(new ServerValue.Timestamp());
    assertThat(new ServerValue.Increment(2)).isEqualTo(new ServerValue.Increment(2.0));
    assertThat(((LeafNode) LeafNode.of(new ServerValue.Increment(1))).value())
        .isEqualTo(new ServerValue.Increment(1));
  }

  @Test
  void priorityValuesHelpers() {
    assertThat(PriorityValues.check(null)).isNull();
    assertThat(PriorityValues.check(3)).isEqualTo(3.0);
    assertThat(PriorityValues.check("s")).isEqualTo("s");
    assertThat(PriorityValues.fromNode(Node.empty())).isNull();
    assertThat(PriorityValues.fromNode(leaf(2))).isEqualTo(2.0);
    assertThat(PriorityValues.fromNode(leaf("s"))).isEqualTo("s");
    assertThatThrownBy(() -> PriorityValues.fromNode(leaf(false))).isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> PriorityValues.fromNode(obj("a", 1))).isInstanceOf(CanopyException.class);
  }
}
