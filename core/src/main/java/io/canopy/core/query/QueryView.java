package io.canopy.core.query;

import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.Node;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The maintained result of one query over a changing node: what the realtime pusher keeps per (location, query).
 * Each update returns the child-level changes of the <em>result</em> (children entering and leaving a limit window
 * included), computed like the Firebase SDK's event generator. Pure and single-threaded: no listeners, no I/O.
 *
 * <p>Changes come in this order: {@code REMOVED} (old index order); then {@code ADDED} and {@code MOVED} together in
 * the new index order; then {@code CHANGED} (new index order). Every added/moved/changed carries {@code prevKey}, its
 * predecessor in the new result. {@code MOVED} is reported, as by the SDK, for a kept child whose indexed value
 * changed (see {@link QueryIndex#indexedValueChanged}), always with a {@code CHANGED} for the same child. The SDK
 * emits all added before all moved; interleaving them in result order instead guarantees that replaying the list on
 * the previous result (remove; insert or move right after {@code prevKey}, at the front if null; replace) gives
 * exactly the new result in order, which the SDK's grouping does not in every case.
 *
 * <p>Cost: O(log n) per changed child, plus O(n) key comparisons for {@link #update(Node)} (which finds the changed
 * children itself, skipping identical subtrees); memory O(children in range).
 */
public final class QueryView {
  private final QuerySpec spec;
  private final QueryIndex index;
  private final Range range;
  private final int limit;
  private final Comparator<Entry> order;

  /** The current node at the query location. */
  private Node node;
  /** Every child in range, by key. */
  private final Map<String, Entry> inRange = new HashMap<>();
  /** Every child in range, in index order. */
  private final TreeSet<Entry> sorted;
  /** The result children in index order; the same set as {@link #sorted} without a limit. */
  private final TreeSet<Entry> window;
  /** {@link #sorted} / {@link #window} seen from the kept end: ascending for limitToFirst, descending for last. */
  private final NavigableSet<Entry> sortedFromKept;
  private final NavigableSet<Entry> windowFromKept;
  private Node result;

  /** A child in range with its precomputed index value. */
  private static final class Entry {
    final String key;
    final Node node;
    final Object value;
    boolean inWindow;

    Entry(String key, Node node, Object value) {
      this.key = key;
      this.node = node;
      this.value = value;
    }

    @Override
    public String toString() {
      return key;
    }
  }

  /** Marks "was not in the result" in the per-update record of old states. */
  private static final Entry ABSENT = new Entry("", Node.empty(), null);

  public QueryView(QuerySpec spec, Node node) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.index = spec.index();
    this.range = new Range(spec);
    this.limit = spec.limit();
    this.order = (a, b) -> {
      int c = QueryIndex.compareValues(a.value, b.value);
      return c != 0 ? c : KeyOrder.compare(a.key, b.key);
    };
    this.sorted = new TreeSet<>(order);
    this.window = limit > 0 ? new TreeSet<>(order) : sorted;
    boolean fromLast = spec.viewFrom() == QuerySpec.ViewFrom.RIGHT;
    this.sortedFromKept = fromLast ? sorted.descendingSet() : sorted;
    this.windowFromKept = fromLast ? window.descendingSet() : window;
    this.node = Objects.requireNonNull(node, "node");
    if (node instanceof ChildrenNode c) {
      // Sort once with the engine, then let the TreeSet build itself from sorted input in linear time.
      int[] positions = QueryEngine.select(spec.withoutLimit(), c);
      Entry[] entries = new Entry[positions.length];
      for (int i = 0; i < positions.length; i++) {
        int p = positions[i];
        Node child = c.childAt(p);
        Entry e = new Entry(c.keyAt(p), child, index.sortValue(child));
        entries[i] = e;
        inRange.put(e.key, e);
      }
      sorted.addAll(new SortedArray(entries, order));
    }
    if (limit > 0) {
      for (Entry e : sortedFromKept) {
        if (window.size() >= limit) {
          break;
        }
        window.add(e);
        e.inWindow = true;
      }
    } else {
      for (Entry e : sorted) {
        e.inWindow = true;
      }
    }
  }

  public QuerySpec spec() {
    return spec;
  }

  /** The node at the query location as of the last update. */
  public Node node() {
    return node;
  }

  /** The result: equal to {@code QueryEngine.apply(spec(), node())}. */
  public Node result() {
    Node r = result;
    if (r == null) {
      if (spec.isDefault()) {
        r = node;
      } else if (window.isEmpty()) {
        r = Node.empty();
      } else {
        ChildrenNode.Builder b = ChildrenNode.builder();
        for (Entry e : window) {
          b.put(e.key, e.node);
        }
        r = b.build();
      }
      result = r;
    }
    return r;
  }

  /** The result keys in index order: equal to {@code QueryEngine.orderedKeys(spec(), node())}. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(window.size());
    for (Entry e : window) {
      keys.add(e.key);
    }
    return keys;
  }

  /** The number of children in the result. */
  public int size() {
    return window.size();
  }

  /** True if the child is in the result. */
  public boolean contains(String key) {
    Entry e = inRange.get(key);
    return e != null && e.inWindow;
  }

  /**
   * The changes that list the current result from scratch: one {@code ADDED} per child, in index order (what the SDK
   * raises for the initial data).
   */
  public List<ChildChange> initialChanges() {
    List<ChildChange> out = new ArrayList<>(window.size());
    String prev = null;
    for (Entry e : window) {
      out.add(ChildChange.added(e.key, e.node, prev));
      prev = e.key;
    }
    return out;
  }

  /** Moves to {@code newNode}, finding the changed children by comparing with the current node. */
  public List<ChildChange> update(Node newNode) {
    Objects.requireNonNull(newNode, "newNode");
    Map<String, Entry> before = new LinkedHashMap<>();
    ChildrenNode a = node instanceof ChildrenNode c ? c : null;
    ChildrenNode b = newNode instanceof ChildrenNode c ? c : null;
    int na = a == null ? 0 : a.childCount();
    int nb = b == null ? 0 : b.childCount();
    int i = 0;
    int j = 0;
    while (i < na || j < nb) {
      int c;
      if (i >= na) {
        c = 1;
      } else if (j >= nb) {
        c = -1;
      } else {
        String ka = a.keyAt(i);
        String kb = b.keyAt(j);
        c = ka == kb ? 0 : KeyOrder.compare(ka, kb);
      }
      if (c < 0) {
        applyChild(a.keyAt(i), Node.empty(), before);
        i++;
      } else if (c > 0) {
        applyChild(b.keyAt(j), b.childAt(j), before);
        j++;
      } else {
        if (a.childAt(i) != b.childAt(j)) {
          applyChild(b.keyAt(j), b.childAt(j), before);
        }
        i++;
        j++;
      }
    }
    return finish(newNode, before);
  }

  /**
   * Moves to {@code newNode} when the caller knows that only the children named in {@code changedKeys} may differ
   * from the current node (as after a write below them): O(k log n) for k keys.
   */
  public List<ChildChange> update(Node newNode, Collection<String> changedKeys) {
    Objects.requireNonNull(newNode, "newNode");
    if (!(node instanceof ChildrenNode) || !(newNode instanceof ChildrenNode)) {
      return update(newNode);
    }
    Map<String, Entry> before = new LinkedHashMap<>();
    for (String key : changedKeys) {
      if (!Path.PRIORITY_KEY.equals(key)) { // the node's own priority is not a child
        applyChild(key, newNode.child(key), before);
      }
    }
    return finish(newNode, before);
  }

  /** Replaces one child (empty removes it; {@code .priority} sets the node's priority). */
  public List<ChildChange> updateChild(String key, Node newChild) {
    Node newNode = node.withChild(key, newChild);
    return update(newNode, List.of(key));
  }

  // ---- internals ----

  private Entry entry(String key, Node child) {
    if (child.isEmpty()) {
      return null;
    }
    Object v = index.sortValue(child);
    return range.matches(v, key) ? new Entry(key, child, v) : null;
  }

  private static void remember(Entry e, Map<String, Entry> before) {
    if (!before.containsKey(e.key)) {
      before.put(e.key, e.inWindow ? e : ABSENT);
    }
  }

  /** Applies one child's new value to the range set and the window, remembering old states in {@code before}. */
  private void applyChild(String key, Node newChild, Map<String, Entry> before) {
    Entry old = inRange.get(key);
    if (old != null && old.node == newChild) {
      return;
    }
    Entry neu = entry(key, newChild);
    if (old == null && neu == null) {
      return;
    }
    if (old != null) {
      remember(old, before);
      inRange.remove(key);
      sorted.remove(old);
      if (limit > 0 && old.inWindow) {
        window.remove(old);
      }
      old.inWindow = false;
    } else if (!before.containsKey(key)) {
      before.put(key, ABSENT);
    }
    if (neu != null) {
      inRange.put(key, neu);
      sorted.add(neu);
    }
    if (limit == 0) {
      if (neu != null) {
        neu.inWindow = true;
      }
      return;
    }
    // The window stays the first `limit` of `sorted` seen from the kept end. After the removal it is such a prefix
    // of `sorted` without `neu`: top it up from beyond its boundary, then let `neu` in if it beats the boundary.
    while (windowFromKept.size() < limit) {
      Entry next = windowFromKept.isEmpty() ? first(sortedFromKept) : sortedFromKept.higher(windowFromKept.last());
      if (next == null) {
        break;
      }
      if (next == neu) {
        // neu lies beyond the boundary: it comes in like any other
        neu.inWindow = true;
        windowFromKept.add(neu);
        continue;
      }
      remember(next, before);
      next.inWindow = true;
      windowFromKept.add(next);
    }
    if (neu != null && !neu.inWindow && windowFromKept.comparator().compare(neu, windowFromKept.last()) < 0) {
      neu.inWindow = true;
      windowFromKept.add(neu);
      if (windowFromKept.size() > limit) {
        Entry out = windowFromKept.pollLast();
        remember(out, before);
        out.inWindow = false;
      }
    }
  }

  /** Sorted entries presented as a SortedSet, so that {@code TreeSet.addAll} builds from them in O(n). */
  private static final class SortedArray extends AbstractSet<Entry> implements SortedSet<Entry> {
    private final Entry[] entries;
    private final Comparator<Entry> comparator;

    SortedArray(Entry[] entries, Comparator<Entry> comparator) {
      this.entries = entries;
      this.comparator = comparator;
    }

    @Override
    public Iterator<Entry> iterator() {
      return Arrays.asList(entries).iterator();
    }

    @Override
    public int size() {
      return entries.length;
    }

    @Override
    public Comparator<? super Entry> comparator() {
      return comparator;
    }

    @Override
    public SortedSet<Entry> subSet(Entry from, Entry to) {
      return range(indexOf(from), Math.max(indexOf(from), indexOf(to)));
    }

    @Override
    public SortedSet<Entry> headSet(Entry to) {
      return range(0, indexOf(to));
    }

    @Override
    public SortedSet<Entry> tailSet(Entry from) {
      return range(indexOf(from), entries.length);
    }

    /** The position of the first entry not below {@code e}. */
    private int indexOf(Entry e) {
      int i = Arrays.binarySearch(entries, e, comparator);
      return i >= 0 ? i : -i - 1;
    }

    private SortedArray range(int from, int to) {
      return new SortedArray(Arrays.copyOfRange(entries, from, to), comparator);
    }

    @Override
    public Entry first() {
      if (entries.length == 0) {
        throw new java.util.NoSuchElementException();
      }
      return entries[0];
    }

    @Override
    public Entry last() {
      if (entries.length == 0) {
        throw new java.util.NoSuchElementException();
      }
      return entries[entries.length - 1];
    }
  }

  private static Entry first(NavigableSet<Entry> s) {
    return s.isEmpty() ? null : s.first();
  }

  /** Turns the remembered old states into the result's child changes. */
  private List<ChildChange> finish(Node newNode, Map<String, Entry> before) {
    Node oldNode = node;
    node = newNode;
    if (!before.isEmpty() || spec.isDefault() && oldNode != newNode) {
      result = null;
    }
    if (before.isEmpty()) {
      return List.of();
    }
    List<Entry> removedOld = new ArrayList<>();
    List<Entry> placed = new ArrayList<>(); // added or moved, current entries
    List<Entry> changed = new ArrayList<>();
    Map<String, Entry> oldOf = new HashMap<>();
    for (Map.Entry<String, Entry> me : before.entrySet()) {
      Entry was = me.getValue();
      Entry now = inRange.get(me.getKey());
      boolean inNow = now != null && now.inWindow;
      boolean inBefore = was != ABSENT;
      if (inBefore && !inNow) {
        removedOld.add(was);
      } else if (!inBefore && inNow) {
        placed.add(now);
      } else if (inBefore && now != was && !was.node.equals(now.node)) {
        oldOf.put(now.key, was);
        if (index.indexedValueChanged(was.node, now.node)) {
          placed.add(now);
        }
        changed.add(now);
      }
    }
    removedOld.sort(order);
    placed.sort(order);
    changed.sort(order);
    List<ChildChange> out = new ArrayList<>(removedOld.size() + placed.size() + changed.size());
    for (Entry e : removedOld) {
      out.add(ChildChange.removed(e.key, e.node));
    }
    for (Entry e : placed) {
      Entry was = oldOf.get(e.key);
      out.add(was == null
          ? ChildChange.added(e.key, e.node, prevKey(e))
          : ChildChange.moved(e.key, e.node, was.node, prevKey(e)));
    }
    for (Entry e : changed) {
      out.add(ChildChange.changed(e.key, e.node, oldOf.get(e.key).node, prevKey(e)));
    }
    return Collections.unmodifiableList(out);
  }

  private String prevKey(Entry e) {
    Entry p = window.lower(e);
    return p == null ? null : p.key;
  }
}
