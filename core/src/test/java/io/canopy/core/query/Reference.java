package io.canopy.core.query;

import io.canopy.core.path.KeyOrder;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A deliberately naive evaluation of PROTOCOL §4, written independently of the production code: full sort of every
 * child, then a linear range filter, then a sublist.
 */
final class Reference {
  private Reference() {}

  /** The "post" of a child or a bound: an index value (null, Boolean, Double, String or a Node for objects). */
  private static Object indexValue(QueryIndex index, Node child) {
    Node n;
    switch (index.kind()) {
      case PRIORITY:
        return child.priority();
      case VALUE:
        n = child;
        break;
      case CHILD:
        n = child;
        for (String k : index.path()) {
          n = n.child(k);
        }
        break;
      default:
        throw new AssertionError();
    }
    if (n.isEmpty()) {
      return null;
    }
    return n.isLeaf() ? ((LeafNode) n).value() : n;
  }

  private static int typeOrder(Object v) {
    if (v == null) {
      return 0;
    }
    if (Boolean.FALSE.equals(v)) {
      return 1;
    }
    if (Boolean.TRUE.equals(v)) {
      return 2;
    }
    if (v instanceof Double) {
      return 3;
    }
    if (v instanceof String) {
      return 4;
    }
    return 5;
  }

  static int compareValues(Object a, Object b) {
    int ta = typeOrder(a);
    int tb = typeOrder(b);
    if (ta != tb) {
      return Integer.compare(ta, tb);
    }
    if (ta == 3) {
      double x = (Double) a;
      double y = (Double) b;
      return x == y ? 0 : (x < y ? -1 : 1);
    }
    if (ta == 4) {
      String x = (String) a;
      String y = (String) b;
      for (int i = 0; i < Math.min(x.length(), y.length()); i++) {
        if (x.charAt(i) != y.charAt(i)) {
          return x.charAt(i) < y.charAt(i) ? -1 : 1;
        }
      }
      return Integer.compare(x.length(), y.length());
    }
    return 0;
  }

  /** Compares (value, name) posts; for the key index only the names (keys) count. */
  private static int comparePosts(QueryIndex index, Object va, String na, Object vb, String nb) {
    if (index.kind() != QueryIndex.Kind.KEY) {
      int c = compareValues(va, vb);
      if (c != 0) {
        return c;
      }
    }
    return KeyOrder.compare(na, nb);
  }

  static List<Map.Entry<String, Node>> evaluate(QuerySpec q, Node node) {
    List<Map.Entry<String, Node>> all = new ArrayList<>();
    if (!(node instanceof ChildrenNode)) {
      return all;
    }
    QueryIndex index = q.index();
    node.forEachChild((k, c) -> all.add(Map.entry(k, c)));
    Comparator<Map.Entry<String, Node>> cmp = (a, b) -> comparePosts(index,
        index.kind() == QueryIndex.Kind.KEY ? null : indexValue(index, a.getValue()), a.getKey(),
        index.kind() == QueryIndex.Kind.KEY ? null : indexValue(index, b.getValue()), b.getKey());
    all.sort(cmp);
    List<Map.Entry<String, Node>> kept = new ArrayList<>();
    for (Map.Entry<String, Node> e : all) {
      Object v = index.kind() == QueryIndex.Kind.KEY ? null : indexValue(index, e.getValue());
      if (q.start() != null) {
        QuerySpec.Bound s = q.start();
        String name = index.kind() == QueryIndex.Kind.KEY ? (String) s.value() : s.name();
        int c = comparePosts(index, s.value(), name, v, e.getKey());
        if (s.inclusive() ? c > 0 : c >= 0) {
          continue;
        }
      }
      if (q.end() != null) {
        QuerySpec.Bound en = q.end();
        String name = index.kind() == QueryIndex.Kind.KEY ? (String) en.value() : en.name();
        int c = comparePosts(index, v, e.getKey(), en.value(), name);
        if (en.inclusive() ? c > 0 : c >= 0) {
          continue;
        }
      }
      kept.add(e);
    }
    if (q.limit() > 0 && kept.size() > q.limit()) {
      kept = q.viewFrom() == QuerySpec.ViewFrom.LEFT
          ? kept.subList(0, q.limit())
          : kept.subList(kept.size() - q.limit(), kept.size());
    }
    return new ArrayList<>(kept);
  }

  static List<String> keys(QuerySpec q, Node node) {
    List<String> keys = new ArrayList<>();
    evaluate(q, node).forEach(e -> keys.add(e.getKey()));
    return keys;
  }
}
