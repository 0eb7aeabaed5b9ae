package io.canopy.core.query;

import static io.canopy.core.query.TestTrees.json;
import static io.canopy.core.query.TestTrees.keys;
import static io.canopy.core.query.TestTrees.leaf;
import static io.canopy.core.query.TestTrees.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryEngineTest {

  private static final Node SCORES = json(
      "{'a':{'s':5},'b':{'s':1},'c':{'s':9},'d':{'s':3},'e':{'s':7},'f':{'s':5},'g':{'s':2}}");

  private static QuerySpec.Builder byS() {
    return QuerySpec.builder().orderByChild("s");
  }

  @Test
  void limitWindows() {
    assertThat(QueryEngine.orderedKeys(byS().limitToFirst(3).build(), SCORES)).containsExactly("b", "g", "d");
    assertThat(QueryEngine.orderedKeys(byS().limitToLast(3).build(), SCORES)).containsExactly("f", "e", "c");
    assertThat(QueryEngine.orderedKeys(byS().limitToLast(100).build(), SCORES))
        .containsExactly("b", "g", "d", "a", "f", "e", "c");
    assertThat(QueryEngine.orderedKeys(byS().startAt(3).limitToFirst(2).build(), SCORES)).containsExactly("d", "a");
    assertThat(QueryEngine.orderedKeys(byS().endAt(5).limitToLast(2).build(), SCORES)).containsExactly("a", "f");
    assertThat(QueryEngine.orderedKeys(byS().endAt(5, "a").limitToLast(2).build(), SCORES)).containsExactly("d", "a");
    assertThat(QueryEngine.orderedKeys(byS().startAfter(5, "a").limitToFirst(1).build(), SCORES)).containsExactly("f");
    assertThat(QueryEngine.orderedKeys(byS().startAfter(5).limitToFirst(1).build(), SCORES)).containsExactly("e");
    assertThat(QueryEngine.orderedKeys(byS().endBefore(5).limitToLast(1).build(), SCORES)).containsExactly("d");
    assertThat(QueryEngine.orderedKeys(byS().startAt(100).limitToFirst(2).build(), SCORES)).isEmpty();
  }

  @Test
  void limitOfOneTakesTheExtremes() {
    assertThat(QueryEngine.orderedKeys(byS().limitToFirst(1).build(), SCORES)).containsExactly("b");
    assertThat(QueryEngine.orderedKeys(byS().limitToLast(1).build(), SCORES)).containsExactly("c");
  }

  @Test
  void keyIndexWindowsUseBinarySearch() {
    Node n = obj("1", 1, "2", 2, "10", 3, "a", 4, "b", 5, "c", 6);
    QuerySpec.Builder k = QuerySpec.builder().orderByKey();
    assertThat(QueryEngine.orderedKeys(k.startAt("2").endAt("b").build(), n)).containsExactly("2", "10", "a", "b");
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().startAfter("2").endBefore("b").build(), n))
        .containsExactly("10", "a");
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().startAt("3").limitToFirst(2).build(), n))
        .containsExactly("10", "a");
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().endAt("aa").limitToLast(2).build(), n))
        .containsExactly("10", "a");
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().startAt("z").build(), n)).isEmpty();
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().startAt("b").endAt("a").build(), n)).isEmpty();
    assertThat(QueryEngine.orderedKeys(QuerySpec.builder().orderByKey().equalTo("10").build(), n))
        .containsExactly("10");
  }

  @Test
  void applyKeepsFullSubtreesAndChildPrioritiesButNotTheParentPriority() {
    Node n = json("{'a':{'s':1,'deep':{'x':{'y':true}},'.priority':'p'},'b':{'.value':2,'.priority':3},"
        + "'c':{'s':3},'.priority':9}");
    Node r = QueryEngine.apply(QuerySpec.builder().orderByChild("s").startAt(1).build(), n);
    assertThat(keys(r)).containsExactly("a", "c");
    assertThat(r.child("a")).isEqualTo(n.child("a"));
    assertThat(r.child("a").priority()).isEqualTo("p");
    assertThat(r.priority()).isNull();
    Node v = QueryEngine.apply(QuerySpec.builder().orderByValue().limitToFirst(1).build(), n);
    assertThat(v).isEqualTo(obj("b", leaf(2, 3)));
    // everything matches: the same children, no parent priority
    Node all = QueryEngine.apply(QuerySpec.builder().orderByKey().limitToFirst(10).build(), n);
    assertThat(all).isEqualTo(n.withPriority(null));
  }

  @Test
  void leavesAndEmptyNodesGiveEmptyResults() {
    QuerySpec q = byS().limitToFirst(2).build();
    assertThat(QueryEngine.apply(q, leaf("x")).isEmpty()).isTrue();
    assertThat(QueryEngine.apply(q, leaf(1, 5)).isEmpty()).isTrue();
    assertThat(QueryEngine.apply(q, Node.empty()).isEmpty()).isTrue();
    assertThat(QueryEngine.orderedKeys(q, leaf("x"))).isEmpty();
    assertThat(QueryEngine.orderedKeys(QuerySpec.DEFAULT, leaf("x"))).isEmpty();
    assertThat(QueryEngine.apply(byS().startAt(100).build(), SCORES).isEmpty()).isTrue();
  }

  @Test
  void queriesThatLoadAllDataReturnTheNodeItself() {
    Node withPriority = SCORES.withPriority(4.0);
    assertThat(QueryEngine.apply(QuerySpec.DEFAULT, withPriority)).isSameAs(withPriority);
    assertThat(QueryEngine.apply(byS().build(), withPriority)).isSameAs(withPriority);
    Node l = leaf("x", 1);
    assertThat(QueryEngine.apply(QuerySpec.builder().orderByKey().build(), l)).isSameAs(l);
    assertThat(QueryEngine.orderedKeys(byS().build(), SCORES)).containsExactly("b", "g", "d", "a", "f", "e", "c");
  }

  @Test
  void orderedChildrenAndInRange() {
    List<Map.Entry<String, Node>> c = QueryEngine.orderedChildren(byS().limitToFirst(2).build(), SCORES);
    assertThat(c).extracting(Map.Entry::getKey).containsExactly("b", "g");
    assertThat(c.get(0).getValue()).isEqualTo(SCORES.child("b"));
    QuerySpec range = byS().startAt(3).endBefore(7).build();
    assertThat(QueryEngine.inRange(range, "a", SCORES.child("a"))).isTrue();
    assertThat(QueryEngine.inRange(range, "e", SCORES.child("e"))).isFalse();
    assertThat(QueryEngine.inRange(range, "x", Node.empty())).isFalse();
  }

  @Test
  void matchesTheNaiveReferenceOnRandomData() {
    Random r = new Random(42);
    for (int round = 0; round < 3000; round++) {
      Node node = RandomTrees.node(r, 25);
      QuerySpec q = RandomTrees.spec(r);
      List<String> expected = Reference.keys(q, node);
      assertThat(QueryEngine.orderedKeys(q, node)).as("%s on %s", q, node).containsExactlyElementsOf(expected);
      Node result = QueryEngine.apply(q, node);
      if (q.isDefault()) {
        assertThat(result).isSameAs(node);
      } else {
        assertThat(new HashSet<>(keys(result))).isEqualTo(new HashSet<>(expected));
        result.forEachChild((k, c) -> assertThat(c).isSameAs(node.child(k)));
        assertThat(result.priority()).isNull();
      }
    }
  }

  @Test
  void largeNodesWithSmallLimits() {
    int n = 100_000;
    ChildrenNode.Builder b = ChildrenNode.builder();
    Random r = new Random(5);
    for (int i = 0; i < n; i++) {
      String key = "k" + Integer.toString(10_000_000 + i).substring(1); // k0000000, k0000001, ...
      b.put(key, ChildrenNode.builder().put("s", LeafNode.of((double) r.nextInt(1_000_000))).build());
    }
    Node big = b.build();
    QuerySpec last = byS().limitToLast(10).build();
    QuerySpec keyWindow = QuerySpec.builder().orderByKey().startAt("k0050000").limitToFirst(10).build();
    QuerySpec fullSort = byS().startAt(500_000).build();
    // warm up, then time a few rounds
    for (int i = 0; i < 3; i++) {
      QueryEngine.orderedKeys(last, big);
      QueryEngine.orderedKeys(keyWindow, big);
    }
    long t0 = System.nanoTime();
    List<String> top = QueryEngine.orderedKeys(last, big);
    long t1 = System.nanoTime();
    List<String> window = QueryEngine.orderedKeys(keyWindow, big);
    long t2 = System.nanoTime();
    List<String> half = QueryEngine.orderedKeys(fullSort, big);
    long t3 = System.nanoTime();
    // expected order, computed plainly: s ascending, then key (all keys have the same length and no digits first)
    List<Map.Entry<String, Double>> pairs = new ArrayList<>();
    big.forEachChild((k, c) -> pairs.add(Map.entry(k, (Double) ((LeafNode) c.child("s")).value())));
    pairs.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> all = new ArrayList<>();
    pairs.forEach(e -> all.add(e.getKey()));
    assertThat(top).isEqualTo(all.subList(n - 10, n));
    assertThat(window).containsExactly("k0050000", "k0050001", "k0050002", "k0050003", "k0050004", "k0050005",
        "k0050006", "k0050007", "k0050008", "k0050009");
    List<String> expectedHalf = new ArrayList<>();
    for (String k : all) {
      if ((Double) ((LeafNode) big.child(k).child("s")).value() >= 500_000) {
        expectedHalf.add(k);
      }
    }
    assertThat(half).isEqualTo(expectedHalf);
    System.out.printf("%d children: limitToLast(10) %.1f ms, key window %.3f ms, range of ~half sorted %.1f ms%n",
        n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    // generous bounds: these only catch accidental quadratic behaviour
    assertThat((t1 - t0) / 1_000_000).as("limitToLast(10) over %d children, ms", n).isLessThan(2_000);
    assertThat((t2 - t1) / 1_000_000).as("key window, ms").isLessThan(500);
    assertThat((t3 - t2) / 1_000_000).as("range sort, ms").isLessThan(5_000);
  }

  @Test
  void resultListsAreReadOnly() {
    List<String> keys = QueryEngine.orderedKeys(byS().build(), SCORES);
    List<String> copy = new ArrayList<>(keys);
    assertThat(copy).hasSize(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
