package io.canopy.core.query;

import static io.canopy.core.query.TestTrees.json;
import static io.canopy.core.query.TestTrees.leaf;
import static io.canopy.core.query.TestTrees.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.query.ChildChange.Type;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryViewTest {

  private static QuerySpec.Builder byS() {
    return QuerySpec.builder().orderByChild("s");
  }

  private static Node s(Object v) {
    return obj("s", v);
  }

  /** Replays child changes on an ordered result the way a client list would, checking each step is consistent. */
  static List<Map.Entry<String, Node>> replay(List<Map.Entry<String, Node>> before, List<ChildChange> changes) {
    List<Map.Entry<String, Node>> list = new ArrayList<>(before);
    for (ChildChange c : changes) {
      int at = indexOf(list, c.key());
      switch (c.type()) {
        case REMOVED -> {
          assertThat(at).as("removed %s must be present", c.key()).isNotNegative();
          assertThat(c.oldNode()).isEqualTo(list.get(at).getValue());
          assertThat(c.prevKey()).isNull();
          list.remove(at);
        }
        case ADDED -> {
          assertThat(at).as("added %s must be new", c.key()).isNegative();
          insertAfter(list, c.prevKey(), Map.entry(c.key(), c.node()));
        }
        case MOVED -> {
          assertThat(at).as("moved %s must be present", c.key()).isNotNegative();
          assertThat(c.oldNode()).isEqualTo(list.get(at).getValue());
          list.remove(at);
          insertAfter(list, c.prevKey(), Map.entry(c.key(), c.node()));
        }
        case CHANGED -> {
          assertThat(at).as("changed %s must be present", c.key()).isNotNegative();
          list.set(at, Map.entry(c.key(), c.node()));
        }
        default -> throw new AssertionError();
      }
    }
    return list;
  }

  private static int indexOf(List<Map.Entry<String, Node>> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static void insertAfter(List<Map.Entry<String, Node>> list, String prevKey, Map.Entry<String, Node> e) {
    if (prevKey == null) {
      list.add(0, e);
      return;
    }
    int p = indexOf(list, prevKey);
    assertThat(p).as("prevKey %s must be present when inserting %s", prevKey, e.getKey()).isNotNegative();
    list.add(p + 1, e);
  }

  private static List<Map.Entry<String, Node>> entries(QueryView v) {
    List<Map.Entry<String, Node>> out = new ArrayList<>();
    for (String k : v.keys()) {
      out.add(Map.entry(k, v.node().child(k)));
    }
    return out;
  }

  private static List<String> summary(List<ChildChange> changes) {
    List<String> out = new ArrayList<>();
    for (ChildChange c : changes) {
      out.add(c.toString());
    }
    return out;
  }

  @Test
  void limitToLastDropsTheSmallestWhenALargerChildArrives() {
    QueryView v = new QueryView(byS().limitToLast(2).build(), json("{'a':{'s':1},'b':{'s':5},'c':{'s':9}}"));
    assertThat(v.keys()).containsExactly("b", "c");
    List<ChildChange> ch = v.updateChild("d", s(10));
    assertThat(summary(ch)).containsExactly("child_removed(b)", "child_added(d, prev=c)");
    assertThat(v.keys()).containsExactly("c", "d");
    assertThat(ch.get(0).oldNode()).isEqualTo(s(5));
    // a smaller child changes nothing
    assertThat(v.updateChild("e", s(0))).isEmpty();
    // removing a window child pulls the next one back in
    assertThat(summary(v.updateChild("d", Node.empty()))).containsExactly("child_removed(d)", "child_added(b)");
    assertThat(v.keys()).containsExactly("b", "c");
  }

  @Test
  void limitToFirstRefillsFromTheRange() {
    QueryView v = new QueryView(byS().startAt(2).limitToFirst(2).build(),
        json("{'a':{'s':1},'b':{'s':2},'c':{'s':3},'d':{'s':4}}"));
    assertThat(v.keys()).containsExactly("b", "c");
    assertThat(summary(v.updateChild("b", s(0)))).containsExactly("child_removed(b)", "child_added(d, prev=c)");
    assertThat(summary(v.updateChild("a", s(2.5)))).containsExactly("child_removed(d)", "child_added(a)");
    assertThat(v.keys()).containsExactly("a", "c");
  }

  @Test
  void movesWithinTheWindow() {
    QueryView v = new QueryView(byS().build(), json("{'a':{'s':1},'b':{'s':2},'c':{'s':3}}"));
    List<ChildChange> ch = v.updateChild("a", s(4));
    assertThat(summary(ch)).containsExactly("child_moved(a, prev=c)", "child_changed(a, prev=c)");
    assertThat(ch.get(0).oldNode()).isEqualTo(s(1));
    assertThat(v.keys()).containsExactly("b", "c", "a");
    // another field: changed, not moved
    assertThat(summary(v.updateChild("b", obj("s", 2, "t", 1)))).containsExactly("child_changed(b)");
    // the same value again: nothing
    assertThat(v.updateChild("b", obj("s", 2, "t", 1))).isEmpty();
  }

  @Test
  void keyIndexNeverMovesAndValueIndexAlwaysDoes() {
    QueryView k = new QueryView(QuerySpec.builder().orderByKey().build(), obj("a", 1, "b", 2));
    assertThat(summary(k.updateChild("a", leaf(3)))).containsExactly("child_changed(a)");
    QueryView val = new QueryView(QuerySpec.builder().orderByValue().build(), obj("a", 1, "b", 2));
    assertThat(summary(val.updateChild("a", leaf(1.5)))).containsExactly("child_moved(a)", "child_changed(a)");
    QueryView pri = new QueryView(QuerySpec.DEFAULT, obj("a", leaf(1, 1), "b", leaf(2, 2)));
    assertThat(summary(pri.updateChild("a", leaf(9, 1)))).containsExactly("child_changed(a)");
    assertThat(summary(pri.updateChild("a", leaf(9, 3)))).containsExactly("child_moved(a, prev=b)",
        "child_changed(a, prev=b)");
  }

  @Test
  void changesOutsideTheRangeAreSilent() {
    QueryView v = new QueryView(byS().startAt(5).build(), json("{'a':{'s':1},'b':{'s':6}}"));
    assertThat(v.updateChild("a", s(2))).isEmpty();
    assertThat(v.updateChild("c", s(3))).isEmpty();
    assertThat(summary(v.updateChild("c", s(7)))).containsExactly("child_added(c, prev=b)");
    assertThat(summary(v.updateChild("b", s(4)))).containsExactly("child_removed(b)");
  }

  @Test
  void addedAndMovedInterleaveInResultOrderSoReplayWorks() {
    // A=5, B=6 becomes B=1, C=3: the SDK would send added(C, prev=B) before moved(B, prev=null), which a list
    // replaying in order gets wrong; here the moved B comes first.
    Node before = json("{'A':{'s':5},'B':{'s':6}}");
    Node after = json("{'A':{'s':5},'B':{'s':1},'C':{'s':3}}");
    QueryView v = new QueryView(byS().build(), before);
    List<Map.Entry<String, Node>> old = entries(v);
    List<ChildChange> ch = v.update(after);
    assertThat(summary(ch)).containsExactly("child_moved(B)", "child_added(C, prev=B)", "child_changed(B)");
    assertThat(replay(old, ch)).extracting(Map.Entry::getKey).containsExactly("B", "C", "A");
  }

  @Test
  void wholeNodeUpdates() {
    QueryView v = new QueryView(byS().limitToFirst(2).build(), leaf("x"));
    assertThat(v.keys()).isEmpty();
    assertThat(v.result().isEmpty()).isTrue();
    assertThat(summary(v.update(json("{'a':{'s':2},'b':{'s':1},'c':{'s':3}}"))))
        .containsExactly("child_added(b)", "child_added(a, prev=b)");
    assertThat(summary(v.update(leaf(5)))).containsExactly("child_removed(b)", "child_removed(a)");
    assertThat(v.update(Node.empty())).isEmpty();
  }

  @Test
  void defaultViewsKeepTheWholeNode() {
    Node n = json("{'a':1,'b':2,'.priority':7}");
    QueryView v = new QueryView(QuerySpec.DEFAULT, n);
    assertThat(v.result()).isSameAs(n);
    assertThat(v.update(leaf("x"))).extracting(ChildChange::type).containsExactly(Type.REMOVED, Type.REMOVED);
    assertThat(v.result()).isEqualTo(leaf("x"));
    assertThat(v.update(leaf("y"))).isEmpty();
    assertThat(v.result()).isEqualTo(leaf("y"));
  }

  @Test
  void theNodePriorityIsNotAChild() {
    QueryView v = new QueryView(QuerySpec.DEFAULT, obj("a", 1));
    assertThat(v.updateChild(".priority", leaf(5))).isEmpty();
    assertThat(v.result().priority()).isEqualTo(5.0);
    assertThat(v.keys()).containsExactly("a");
    QueryView q = new QueryView(byS().limitToFirst(1).build(), json("{'a':{'s':1}}"));
    assertThat(q.update(json("{'a':{'s':1},'.priority':3}"), List.of(".priority"))).isEmpty();
    assertThat(q.result().priority()).isNull();
  }

  @Test
  void initialChangesListTheResult() {
    QueryView v = new QueryView(byS().limitToLast(2).build(), json("{'a':{'s':1},'b':{'s':5},'c':{'s':9}}"));
    assertThat(summary(v.initialChanges())).containsExactly("child_added(b)", "child_added(c, prev=b)");
    assertThat(v.size()).isEqualTo(2);
    assertThat(v.contains("b")).isTrue();
    assertThat(v.contains("a")).isFalse();
  }

  @Test
  void largeWindowedViewStaysCorrectUnderManyUpdates() {
    Random r = new Random(9);
    io.canopy.core.tree.ChildrenNode.Builder b = io.canopy.core.tree.ChildrenNode.builder();
    for (int i = 0; i < 50_000; i++) {
      b.put("c" + i, s((double) r.nextInt(100_000)));
    }
    Node node = b.build();
    QuerySpec spec = byS().startAt(1_000).limitToLast(5).build();
    QueryView v = new QueryView(spec, node);
    List<Map.Entry<String, Node>> shown = entries(v);
    long t0 = System.nanoTime();
    for (int i = 0; i < 2_000; i++) {
      String key = "c" + r.nextInt(60_000);
      Node child = r.nextInt(5) == 0 ? Node.empty() : s((double) r.nextInt(110_000));
      node = node.withChild(key, child);
      shown = replay(shown, v.update(node, List.of(key)));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(v.keys()).isEqualTo(QueryEngine.orderedKeys(spec, node));
    assertThat(shown).isEqualTo(entries(v));
    assertThat(ms).as("2000 updates of a 50k-child view, ms").isLessThan(10_000);
  }

  /** Random child sets and removals on random data, checked against brute force after every step. */
  @Test
  void randomizedAgainstBruteForce() {
    Random r = new Random(20240607);
    int steps = 0;
    Map<Type, Integer> counts = new java.util.EnumMap<>(Type.class);
    for (int round = 0; round < 400; round++) {
      QuerySpec spec = RandomTrees.spec(r);
      Node node = RandomTrees.node(r, 12);
      QueryView view = new QueryView(spec, node);
      checkView(view, spec, node);
      for (int step = 0; step < 40; step++, steps++) {
        List<Map.Entry<String, Node>> before = entries(view);
        Node next;
        List<ChildChange> changes;
        int mode = r.nextInt(10);
        if (mode < 6) {
          // one child set or removed
          String key = RandomTrees.key(r);
          Node child = r.nextInt(4) == 0 ? Node.empty() : RandomTrees.child(r);
          next = node.withChild(key, child);
          changes = mode < 3 ? view.updateChild(key, child) : view.update(next, List.of(key));
        } else if (mode < 9) {
          // several children at once
          next = node;
          int n = 1 + r.nextInt(5);
          for (int i = 0; i < n; i++) {
            next = next.withChild(RandomTrees.key(r), r.nextInt(3) == 0 ? Node.empty() : RandomTrees.child(r));
          }
          changes = view.update(next);
        } else {
          // a whole new node, sometimes a leaf
          next = r.nextInt(5) == 0 ? RandomTrees.child(r) : RandomTrees.node(r, 12);
          changes = view.update(next);
        }
        String ctx = spec + " step " + step + ": " + node + " -> " + next + " changes " + changes;
        checkView(view, spec, next);
        List<Map.Entry<String, Node>> replayed = replay(before, changes);
        assertThat(replayed).as(ctx).isEqualTo(entries(view));
        checkChangeInvariants(spec, changes, ctx);
        changes.forEach(c -> counts.merge(c.type(), 1, Integer::sum));
        node = next;
      }
    }
    assertThat(steps).isEqualTo(400 * 40);
    // the run exercises every kind of change
    for (Type t : Type.values()) {
      assertThat(counts.getOrDefault(t, 0)).as("%s changes in the run: %s", t, counts).isGreaterThan(500);
    }
  }

  private static void checkView(QueryView view, QuerySpec spec, Node node) {
    List<String> expected = Reference.keys(spec, node);
    assertThat(view.keys()).as("%s on %s", spec, node).containsExactlyElementsOf(expected);
    assertThat(view.result()).as("%s on %s", spec, node).isEqualTo(QueryEngine.apply(spec, node));
    assertThat(view.node()).isEqualTo(node);
  }

  private static void checkChangeInvariants(QuerySpec spec, List<ChildChange> changes, String ctx) {
    // removed first, then added/moved, then changed; each moved has a changed; each key at most once per type
    int phase = 0;
    Map<String, Type> seen = new LinkedHashMap<>();
    for (ChildChange c : changes) {
      int p = switch (c.type()) {
        case REMOVED -> 0;
        case ADDED, MOVED -> 1;
        case CHANGED -> 2;
      };
      assertThat(p).as(ctx).isGreaterThanOrEqualTo(phase);
      phase = p;
      if (c.type() == Type.CHANGED) {
        assertThat(c.oldNode()).as(ctx).isNotEqualTo(c.node());
      }
      if (c.type() == Type.MOVED) {
        assertThat(spec.index().indexedValueChanged(c.oldNode(), c.node())).as(ctx).isTrue();
        assertThat(changes).as(ctx).anyMatch(x -> x.type() == Type.CHANGED && x.key().equals(c.key()));
      }
      assertThat(seen.put(c.key() + "/" + c.type(), c.type())).as(ctx).isNull();
    }
  }
}
