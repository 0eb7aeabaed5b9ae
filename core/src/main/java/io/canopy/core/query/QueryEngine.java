package io.canopy.core.query;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.Node;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Evaluates a {@link QuerySpec} on a node (PROTOCOL §4): the children in range, then the first or last {@code limit}
 * of them in index order.
 *
 * <p>Cost: the key index needs no sorting (children are held in key order), only two binary searches; the other
 * indexes read each child's index value once (no allocation), sort the survivors of the range with a primitive
 * index sort, or, with a limit smaller than the survivors, keep the window in a bounded heap (O(n log l)).
 */
public final class QueryEngine {
  private QueryEngine() {}

  /**
   * The query result: a node holding only the matching children, with their full subtrees and priorities, and no
   * priority of its own. A leaf or empty node gives empty. A query without start, end or limit
   * ({@link QuerySpec#isDefault()}) returns {@code node} unchanged, as the SDKs do for queries that load all data.
   */
  public static Node apply(QuerySpec q, Node node) {
    if (q.isDefault()) {
      return node;
    }
    if (!(node instanceof ChildrenNode c)) {
      return Node.empty();
    }
    int[] sel = select(q, c);
    int n = c.childCount();
    if (sel.length == n) {
      return c.withPriority(null);
    }
    if (sel.length == 0) {
      return Node.empty();
    }
    if (q.index().kind() != QueryIndex.Kind.KEY) {
      sel = sel.clone();
      Arrays.sort(sel); // positions ascend in key order, so the builder needs no sort
    }
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i : sel) {
      b.put(c.keyAt(i), c.childAt(i));
    }
    return b.build();
  }

  /** The keys of the matching children in index order (empty for a leaf or empty node). */
  public static List<String> orderedKeys(QuerySpec q, Node node) {
    if (!(node instanceof ChildrenNode c)) {
      return List.of();
    }
    int[] sel = select(q, c);
    return new PositionList<>(sel) {
      @Override
      String at(int pos) {
        return c.keyAt(pos);
      }
    };
  }

  /** The matching children as (key, child) entries in index order. */
  public static List<Map.Entry<String, Node>> orderedChildren(QuerySpec q, Node node) {
    if (!(node instanceof ChildrenNode c)) {
      return List.of();
    }
    int[] sel = select(q, c);
    return new PositionList<>(sel) {
      @Override
      Map.Entry<String, Node> at(int pos) {
        return Map.entry(c.keyAt(pos), c.childAt(pos));
      }
    };
  }

  /** True if the child {@code (key, child)} lies in the query's range (ignoring the limit). */
  public static boolean inRange(QuerySpec q, String key, Node child) {
    if (child.isEmpty()) {
      return false;
    }
    return new Range(q).matches(q.index().sortValue(child), key);
  }

  /** An immutable list view over child positions. */
  private abstract static class PositionList<T> extends AbstractList<T> implements RandomAccess {
    private final int[] positions;

    PositionList(int[] positions) {
      this.positions = positions;
    }

    abstract T at(int pos);

    @Override
    public T get(int i) {
      return at(positions[i]);
    }

    @Override
    public int size() {
      return positions.length;
    }
  }

  // ---- selection ----

  /** Positions (in the node's key order) of the result children, in index order. */
  static int[] select(QuerySpec q, ChildrenNode node) {
    Range range = new Range(q);
    if (q.index().kind() == QueryIndex.Kind.KEY) {
      return selectByKey(q, range, node);
    }
    QueryIndex index = q.index();
    int n = node.childCount();
    SortKeys keys = new SortKeys(n);
    int[] idx = new int[n];
    int m = 0;
    boolean unbounded = range.isUnbounded();
    for (int i = 0; i < n; i++) {
      Object v = index.sortValue(node.childAt(i));
      if (unbounded || range.matches(v, node.keyAt(i))) {
        keys.set(i, v);
        idx[m++] = i;
      }
    }
    int limit = q.limit();
    if (limit > 0 && limit < m) {
      return topK(keys, idx, m, limit, q.viewFrom() == QuerySpec.ViewFrom.RIGHT);
    }
    int[] out = Arrays.copyOf(idx, m);
    sortStable(keys, out, 0, m, new int[m]);
    return out;
  }

  /**
   * Index values of children by position, unpacked for cache-friendly comparison: the type rank and, for numbers,
   * the primitive value (strings stay references).
   */
  private static final class SortKeys {
    final byte[] rank;
    final double[] num;
    final Object[] ref;

    SortKeys(int n) {
      rank = new byte[n];
      num = new double[n];
      ref = new Object[n];
    }

    void set(int i, Object v) {
      int r = QueryIndex.rank(v);
      rank[i] = (byte) r;
      if (r == 3) {
        num[i] = (Double) v;
      } else if (r == 4) {
        ref[i] = v;
      }
    }

    /** Compares the index values at two positions (not the keys). */
    int compareValues(int a, int b) {
      int ra = rank[a];
      int rb = rank[b];
      if (ra != rb) {
        return ra < rb ? -1 : 1;
      }
      if (ra == 3) {
        double x = num[a];
        double y = num[b];
        return x < y ? -1 : (x > y ? 1 : 0);
      }
      if (ra == 4) {
        return ((String) ref[a]).compareTo((String) ref[b]);
      }
      return 0;
    }

    /** Index order of two positions: value, then key (= position, as positions follow key order). */
    int compare(int a, int b) {
      int c = compareValues(a, b);
      return c != 0 ? c : Integer.compare(a, b);
    }
  }

  private static int[] selectByKey(QuerySpec q, Range range, ChildrenNode node) {
    int n = node.childCount();
    int lo = 0;
    int hi = n;
    if (q.start() != null) {
      // first position that is after the start
      int a = 0;
      int b = n;
      while (a < b) {
        int mid = (a + b) >>> 1;
        if (range.afterStart(null, node.keyAt(mid))) {
          b = mid;
        } else {
          a = mid + 1;
        }
      }
      lo = a;
    }
    if (q.end() != null) {
      // first position that is beyond the end
      int a = lo;
      int b = n;
      while (a < b) {
        int mid = (a + b) >>> 1;
        if (range.beforeEnd(null, node.keyAt(mid))) {
          a = mid + 1;
        } else {
          b = mid;
        }
      }
      hi = a;
    }
    hi = Math.max(lo, hi);
    int limit = q.limit();
    if (limit > 0 && hi - lo > limit) {
      if (q.viewFrom() == QuerySpec.ViewFrom.RIGHT) {
        lo = hi - limit;
      } else {
        hi = lo + limit;
      }
    }
    int[] out = new int[hi - lo];
    for (int i = 0; i < out.length; i++) {
      out[i] = lo + i;
    }
    return out;
  }

  /** Merge sort of positions by value only; stability keeps ties in position (= key) order. */
  private static void sortStable(SortKeys keys, int[] a, int from, int to, int[] tmp) {
    int len = to - from;
    if (len < 2) {
      return;
    }
    if (len <= 16) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= from && keys.compareValues(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sortStable(keys, a, from, mid, tmp);
    sortStable(keys, a, mid, to, tmp);
    if (keys.compareValues(a[mid - 1], a[mid]) <= 0) {
      return; // already in order
    }
    System.arraycopy(a, from, tmp, from, len);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      a[k++] = keys.compareValues(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
    }
    while (i < mid) {
      a[k++] = tmp[i++];
    }
    while (j < to) {
      a[k++] = tmp[j++];
    }
  }

  /**
   * The first (or last, {@code fromRight}) {@code k} of the {@code m} candidate positions in index order, via a bounded
   * binary heap whose root is the worst kept candidate; returned in index order.
   */
  private static int[] topK(SortKeys keys, int[] cand, int m, int k, boolean fromRight) {
    int[] heap = new int[k];
    int size = 0;
    int sign = fromRight ? -1 : 1; // heap root = max of sign*cmp, i.e. the candidate to drop first
    for (int c = 0; c < m; c++) {
      int x = cand[c];
      if (size < k) {
        // sift up
        int i = size++;
        while (i > 0) {
          int parent = (i - 1) >>> 1;
          if (sign * keys.compare(heap[parent], x) >= 0) {
            break;
          }
          heap[i] = heap[parent];
          i = parent;
        }
        heap[i] = x;
      } else if (sign * keys.compare(x, heap[0]) < 0) {
        siftDown(keys, heap, size, x, sign);
      }
    }
    // popping yields the worst first: fill from the back (first k) or from the front (last k)
    int n = size;
    int[] out = new int[n];
    for (int p = 0; p < n; p++) {
      int top = heap[0];
      int last = heap[--size];
      if (size > 0) {
        siftDown(keys, heap, size, last, sign);
      }
      out[fromRight ? p : n - 1 - p] = top;
    }
    return out;
  }

  private static void siftDown(SortKeys keys, int[] heap, int size, int x, int sign) {
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && sign * keys.compare(heap[right], heap[child]) > 0) {
        child = right;
      }
      if (sign * keys.compare(x, heap[child]) >= 0) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }
}
