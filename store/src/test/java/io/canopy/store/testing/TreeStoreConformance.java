package io.canopy.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.store.Checkpoint;
import io.canopy.store.FencedException;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link TreeStore} contract as tests. Extend it, implement {@link #openStore()} (a store over empty
 * storage, fresh for each test), and where the backend keeps data across store instances implement
 * {@link #reopenStore()} to run the durability tests. Stores that apply a flush atomically for readers (all
 * namespaces and the checkpoint at once) return true from {@link #flushesAreAtomic()} to be held to that too.
 *
 * <p>The expected trees are always what {@link io.canopy.core.tree.Node#set} computes, written as export-format
 * JSON (single quotes stand for double quotes).
 */
public abstract class TreeStoreConformance {
  protected static final String NS = "conformance";

  private TreeStore store;
  private long nextOffset = 1;

  /** A store over empty storage. Called at most once per test, lazily (after the subclass's setup). */
  protected abstract TreeStore openStore();

  /**
   * A new store over the storage of the store {@link #openStore()} returned, which the suite has closed; null
   * (the default) if the backend cannot, which skips the durability tests.
   */
  protected TreeStore reopenStore() {
    return null;
  }

  /** Whether readers never see part of a flush: RocksDB yes (one write batch), MongoDB no. */
  protected boolean flushesAreAtomic() {
    return false;
  }

  /** The store under test, opened on first use. */
  protected final TreeStore store() {
    if (store == null) {
      store = openStore();
    }
    return store;
  }

  @AfterEach
  final void closeStoreUnderTest() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  // ---- helpers ----

  protected static Path p(String path) {
    return Path.parse(path);
  }

  /** Parses export-format JSON in which single quotes stand for double quotes. */
  protected static Node json(String json) {
    return TreeJson.parse(json.replace('\'', '"'));
  }

  protected static Overwrite ow(String path, String json) {
    return new Overwrite(p(path), json(json));
  }

  protected static Overwrite ow(String path, Node value) {
    return new Overwrite(p(path), value);
  }

  protected Checkpoint nextCheckpoint() {
    long offset = nextOffset++;
    return new Checkpoint(offset, offset * 2);
  }

  /** Applies one flush of partition 0 for namespace {@link #NS}. */
  protected void flush(Overwrite... writes) {
    flushTo(NS, writes);
  }

  protected void flushTo(String namespace, Overwrite... writes) {
    store().apply(new FlushBatch(0, Map.of(namespace, List.of(writes)), nextCheckpoint()));
  }

  protected void set(String path, String json) {
    flush(ow(path, json));
  }

  protected void delete(String path) {
    flush(ow(path, Node.empty()));
  }

  protected Node read(String path) {
    return store().read(NS, p(path));
  }

  protected void assertTree(String path, String expectedJson) {
    assertNode(read(path), json(expectedJson));
  }

  protected void assertTree(String namespace, String path, String expectedJson) {
    assertNode(store().read(namespace, p(path)), json(expectedJson));
  }

  /** Compares as export JSON first (readable failures), then exactly (number types, priorities). */
  protected static void assertNode(Node actual, Node expected) {
    assertThat(TreeJson.write(actual, true)).isEqualTo(TreeJson.write(expected, true));
    assertThat(actual).isEqualTo(expected);
  }

  protected List<String> childKeys(String path) {
    return store().childKeys(NS, p(path), 0);
  }

  protected boolean exists(String path) {
    return store().exists(NS, p(path));
  }

  /** Closes the store and opens it again over the same storage; skips the test if the backend cannot. */
  protected void reopen() {
    store().close();
    store = null;
    TreeStore again = reopenStore();
    assumeTrue(again != null, "this store does not support reopening");
    store = again;
  }

  // ---- leaves and priorities ----

  @Test
  void readsAbsentNamespaceAsEmpty() {
    assertThat(read("/").isEmpty()).isTrue();
    assertThat(read("/a/b").isEmpty()).isTrue();
    assertThat(exists("/")).isFalse();
    assertThat(childKeys("/")).isEmpty();
  }

  @Test
  void storesStringLeaves() {
    set("/s", "'hello'");
    set("/empty", "''");
    set("/unicode", "'Grüße, 世界 😀 \\u0000 tab\\t end'");
    assertTree("/s", "'hello'");
    assertTree("/empty", "''");
    assertThat(((LeafNode) read("/unicode")).value()).isEqualTo("Grüße, 世界 😀 \u0000 tab\t end");
  }

  @Test
  void storesLargeStrings() {
    String big = "x😀é".repeat(300_000); // ~2.7 MB of UTF-8
    flush(ow("/big", LeafNode.of(big)));
    assertThat(((LeafNode) read("/big")).value()).isEqualTo(big);
  }

  @Test
  void storesNumberLeavesAsDoubles() {
    double[] numbers = {0, 1, -1, 1.5, -2.25, 1e300, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE,
        9007199254740993.0, 123456789012.0, Math.PI};
    ChildrenNode.Builder expected = ChildrenNode.builder();
    for (int i = 0; i < numbers.length; i++) {
      flush(ow("/n/" + i, LeafNode.of(numbers[i])));
      expected.put(Integer.toString(i), LeafNode.of(numbers[i]));
    }
    assertNode(read("/n"), expected.build());
    for (int i = 0; i < numbers.length; i++) {
      assertThat(((LeafNode) read("/n/" + i)).value()).isEqualTo(numbers[i]);
    }
  }

  @Test
  void storesBooleanLeaves() {
    set("/t", "true");
    set("/f", "false");
    assertTree("/", "{'t':true,'f':false}");
    assertThat(((LeafNode) read("/f")).value()).isEqualTo(Boolean.FALSE);
  }

  @Test
  void storesLeafPriorities() {
    set("/num", "{'.value':'v','.priority':3.5}");
    set("/str", "{'.value':true,'.priority':'high'}");
    set("/none", "7");
    assertThat(read("/num").priority()).isEqualTo(3.5);
    assertThat(read("/str").priority()).isEqualTo("high");
    assertThat(read("/none").priority()).isNull();
    assertTree("/", "{'num':{'.value':'v','.priority':3.5},'str':{'.value':true,'.priority':'high'},'none':7}");
  }

  @Test
  void storesObjectPrioritiesAtEveryLevel() {
    set("/", "{'.priority':1,'a':{'.priority':'x','b':{'.priority':2,'c':{'.value':1,'.priority':'y'}}}}");
    assertTree("/", "{'.priority':1,'a':{'.priority':'x','b':{'.priority':2,'c':{'.value':1,'.priority':'y'}}}}");
    assertThat(read("/a").priority()).isEqualTo("x");
    assertThat(read("/a/b").priority()).isEqualTo(2.0);
  }

  @Test
  void readsPriorityPaths() {
    set("/a", "{'.priority':4,'b':{'.value':1,'.priority':'p'}}");
    assertNode(store().read(NS, Path.parseWrite("/a/.priority")), LeafNode.of(4.0));
    assertNode(store().read(NS, Path.parseWrite("/a/b/.priority")), LeafNode.of("p"));
    assertThat(store().read(NS, Path.parseWrite("/x/.priority")).isEmpty()).isTrue();
    assertThat(store().exists(NS, Path.parseWrite("/a/.priority"))).isTrue();
    assertThat(store().exists(NS, Path.parseWrite("/x/.priority"))).isFalse();
    assertThat(store().childKeys(NS, Path.parseWrite("/a/.priority"), 0)).isEmpty();
  }

  @Test
  void replacingANodeReplacesItsPriority() {
    set("/a", "{'.value':1,'.priority':5}");
    set("/a", "2");
    assertTree("/a", "2");
    set("/o", "{'.priority':'p','x':1}");
    set("/o", "{'y':1}");
    assertTree("/o", "{'y':1}");
  }

  // ---- objects and subtree reads ----

  @Test
  void readsNestedObjectsAtEveryDepth() {
    set("/", "{'users':{'alice':{'name':'Alice','age':30,'tags':{'0':'x','1':'y'}},'bob':{'name':'Bob'}},"
        + "'config':{'on':true}}");
    assertTree("/", "{'users':{'alice':{'name':'Alice','age':30,'tags':{'0':'x','1':'y'}},'bob':{'name':'Bob'}},"
        + "'config':{'on':true}}");
    assertTree("/users", "{'alice':{'name':'Alice','age':30,'tags':{'0':'x','1':'y'}},'bob':{'name':'Bob'}}");
    assertTree("/users/alice", "{'name':'Alice','age':30,'tags':{'0':'x','1':'y'}}");
    assertTree("/users/alice/tags", "{'0':'x','1':'y'}");
    assertTree("/users/alice/tags/1", "'y'");
    assertTree("/users/carol", "null");
    assertTree("/users/alice/name/first", "null");
  }

  @Test
  void writesDeepPathsCreatingAncestors() {
    set("/a/b/c/d/e", "1");
    assertTree("/", "{'a':{'b':{'c':{'d':{'e':1}}}}}");
    for (String path : List.of("/", "/a", "/a/b", "/a/b/c", "/a/b/c/d", "/a/b/c/d/e")) {
      assertThat(exists(path)).as(path).isTrue();
    }
  }

  @Test
  void supportsTheMaximumDepth() {
    String[] keys = new String[Path.MAX_DEPTH];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "k" + i;
    }
    Path deepest = Path.of(keys);
    store().apply(new FlushBatch(0, Map.of(NS, List.of(new Overwrite(deepest, LeafNode.of("bottom")))),
        nextCheckpoint()));
    assertNode(store().read(NS, deepest), LeafNode.of("bottom"));
    assertThat(store().read(NS, p("/k0")).get(p("/k1/k2")).isEmpty()).isFalse();
    store().apply(new FlushBatch(0, Map.of(NS, List.of(new Overwrite(deepest, Node.empty()))), nextCheckpoint()));
    assertThat(exists("/")).isFalse();
  }

  @Test
  void supportsKeysOfTheMaximumLength() {
    String longKey = "é".repeat(Path.MAX_KEY_BYTES / 2);
    Path path = Path.of("a", longKey, "b");
    store().apply(new FlushBatch(0, Map.of(NS, List.of(new Overwrite(path, LeafNode.of(1)))), nextCheckpoint()));
    assertThat(childKeys("/a")).containsExactly(longKey);
    assertNode(store().read(NS, path), LeafNode.of(1.0));
  }

  @Test
  void overwritesALeafWithAnObject() {
    set("/a", "{'.value':'leaf','.priority':1}");
    set("/a", "{'x':1,'y':{'z':2}}");
    assertTree("/a", "{'x':1,'y':{'z':2}}");
    assertThat(childKeys("/a")).containsExactly("x", "y");
  }

  @Test
  void overwritesAnObjectWithALeaf() {
    set("/a", "{'x':1,'y':{'z':2},'w':{'v':{'u':3}}}");
    set("/a", "'leaf'");
    assertTree("/a", "'leaf'");
    assertThat(childKeys("/a")).isEmpty();
    assertThat(exists("/a/x")).isFalse();
    assertThat(exists("/a/y/z")).isFalse();
    assertThat(exists("/a/w/v/u")).isFalse();
    assertTree("/", "{'a':'leaf'}");
  }

  @Test
  void overwritesAnObjectWithASmallerObject() {
    set("/a", "{'x':1,'y':{'z':2,'q':3},'w':4}");
    set("/a", "{'y':{'q':5}}");
    assertTree("/a", "{'y':{'q':5}}");
    assertThat(exists("/a/y/z")).isFalse();
    assertThat(exists("/a/x")).isFalse();
  }

  @Test
  void writingBelowALeafTurnsItIntoAnObjectKeepingItsPriority() {
    set("/a", "{'.value':'leaf','.priority':'keep'}");
    set("/a/b", "1");
    assertTree("/a", "{'.priority':'keep','b':1}");
    assertThat(childKeys("/a")).containsExactly("b");
  }

  @Test
  void writingSeveralLevelsBelowALeaf() {
    set("/a", "{'.value':5,'.priority':9}");
    set("/a/b/c", "{'d':true}");
    assertTree("/", "{'a':{'.priority':9,'b':{'c':{'d':true}}}}");
  }

  @Test
  void writingBelowALeafAtTheRoot() {
    set("/", "{'.value':'root leaf','.priority':2}");
    assertTree("/", "{'.value':'root leaf','.priority':2}");
    set("/a", "1");
    assertTree("/", "{'.priority':2,'a':1}");
  }

  @Test
  void writingAnIdenticalValueAgainChangesNothing() {
    set("/a", "{'b':{'c':1},'.priority':1}");
    set("/a", "{'b':{'c':1},'.priority':1}");
    assertTree("/", "{'a':{'b':{'c':1},'.priority':1}}");
  }

  // ---- deletes ----

  @Test
  void deletingTheOnlyLeafRemovesEveryAncestor() {
    set("/a/b/c/d", "1");
    delete("/a/b/c/d");
    assertTree("/", "null");
    for (String path : List.of("/", "/a", "/a/b", "/a/b/c", "/a/b/c/d")) {
      assertThat(exists(path)).as(path).isFalse();
    }
    assertThat(childKeys("/")).isEmpty();
  }

  @Test
  void deletingKeepsAncestorsThatStillHaveChildren() {
    set("/a", "{'.priority':'pa','b':{'c':1,'d':2},'e':3}");
    delete("/a/b/c");
    assertTree("/", "{'a':{'.priority':'pa','b':{'d':2},'e':3}}");
    delete("/a/b/d");
    assertTree("/", "{'a':{'.priority':'pa','e':3}}");
    assertThat(exists("/a/b")).isFalse();
    delete("/a/e");
    assertTree("/", "null");
  }

  @Test
  void deletingASubtreeRemovesAllOfIt() {
    set("/a", "{'b':{'c':{'d':{'e':1}},'f':2},'g':3}");
    delete("/a/b");
    assertTree("/", "{'a':{'g':3}}");
    for (String path : List.of("/a/b", "/a/b/c", "/a/b/c/d", "/a/b/c/d/e", "/a/b/f")) {
      assertThat(exists(path)).as(path).isFalse();
    }
  }

  @Test
  void deletingAllSiblingsInOneFlushRemovesTheParent() {
    set("/a", "{'b':1,'c':2}");
    set("/z", "1");
    flush(ow("/a/b", "null"), ow("/a/c", "null"));
    assertTree("/", "{'z':1}");
    assertThat(exists("/a")).isFalse();
  }

  @Test
  void deletingAllDescendantsAcrossLevelsInOneFlushRemovesTheChain() {
    set("/a", "{'b':{'x':1,'y':2},'c':{'z':3}}");
    flush(ow("/a/b/x", "null"), ow("/a/b/y", "null"), ow("/a/c/z", "null"));
    assertTree("/", "null");
    assertThat(exists("/")).isFalse();
  }

  @Test
  void deletingOneSiblingAndWritingAnotherInOneFlush() {
    set("/a", "{'b':1}");
    flush(ow("/a/b", "null"), ow("/a/c", "2"));
    assertTree("/", "{'a':{'c':2}}");
    flush(ow("/a/c", "null"), ow("/a/d/e", "3"));
    assertTree("/", "{'a':{'d':{'e':3}}}");
  }

  @Test
  void deletingSomeOfManyChildrenKeepsTheParent() {
    ChildrenNode.Builder many = ChildrenNode.builder();
    for (int i = 0; i < 300; i++) {
      many.put("k" + i, LeafNode.of(i));
    }
    flush(ow("/big", many.build()));
    List<Overwrite> deletes = new ArrayList<>();
    for (int i = 0; i < 299; i++) {
      deletes.add(ow("/big/k" + i, Node.empty()));
    }
    flush(deletes.toArray(new Overwrite[0]));
    assertTree("/big", "{'k299':299}");
    delete("/big/k299");
    assertThat(exists("/big")).isFalse();
    assertThat(exists("/")).isFalse();
  }

  @Test
  void deletingBelowALeafChangesNothing() {
    set("/a", "{'.value':1,'.priority':3}");
    delete("/a/b");
    delete("/a/b/c");
    assertTree("/", "{'a':{'.value':1,'.priority':3}}");
  }

  @Test
  void deletingAnAbsentPathChangesNothing() {
    set("/a/b", "1");
    delete("/x");
    delete("/a/c");
    delete("/a/c/d");
    assertTree("/", "{'a':{'b':1}}");
  }

  @Test
  void aRemovedObjectLosesItsPriority() {
    set("/a", "{'.priority':7,'b':1}");
    delete("/a/b");
    set("/a/c", "2");
    assertTree("/a", "{'c':2}");
  }

  // ---- child keys and exists ----

  @Test
  void listsChildKeysInFirebaseKeyOrder() {
    set("/o", "{'10':1,'9':1,'a':1,'b':1,'-1':1}");
    assertThat(childKeys("/o")).containsExactly("-1", "9", "10", "a", "b");
  }

  @Test
  void listsChildKeysInFirebaseOrderNotByteOrder() {
    // UTF-16 order puts a surrogate pair (😀) before U+FFFD, UTF-8 byte order after; integers sort numerically.
    set("/o", "{'\uFFFD':1,'😀':1,'2147483647':1,'2147483648':1,'-2147483648':1,'007':1,'A':1,'a':1,' x':1}");
    List<String> expected = new ArrayList<>(
        List.of("\uFFFD", "😀", "2147483647", "2147483648", "-2147483648", "007", "A", "a", " x"));
    expected.sort(KeyOrder.COMPARATOR);
    assertThat(childKeys("/o")).containsExactlyElementsOf(expected);
  }

  @Test
  void listsChildKeysOfTheRootAndOfNestedObjects() {
    set("/", "{'b':{'y':{'deep':1},'x':2},'a':1}");
    assertThat(childKeys("/")).containsExactly("a", "b");
    assertThat(childKeys("/b")).containsExactly("x", "y");
    assertThat(childKeys("/b/y")).containsExactly("deep");
  }

  @Test
  void listsNoChildKeysOfLeavesOrAbsentNodes() {
    set("/leaf", "1");
    assertThat(childKeys("/leaf")).isEmpty();
    assertThat(childKeys("/absent")).isEmpty();
    assertThat(childKeys("/leaf/below")).isEmpty();
  }

  @Test
  void limitsChildKeys() {
    set("/o", "{'e':{'x':1},'d':1,'c':{'y':{'z':1}},'b':1,'a':1}");
    List<String> two = store().childKeys(NS, p("/o"), 2);
    assertThat(two).hasSize(2).isSubsetOf("a", "b", "c", "d", "e").isSortedAccordingTo(KeyOrder.COMPARATOR);
    assertThat(store().childKeys(NS, p("/o"), 1)).hasSize(1);
    assertThat(store().childKeys(NS, p("/o"), 5)).containsExactly("a", "b", "c", "d", "e");
    assertThat(store().childKeys(NS, p("/o"), 100)).containsExactly("a", "b", "c", "d", "e");
    assertThat(store().childKeys(NS, p("/o"), 0)).containsExactly("a", "b", "c", "d", "e");
    assertThat(store().childKeys(NS, p("/o"), -1)).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void listsManyChildKeysWithoutDuplicates() {
    ChildrenNode.Builder many = ChildrenNode.builder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String key = i % 2 == 0 ? Integer.toString(i) : "k" + i;
      expected.add(key);
      many.put(key, i % 3 == 0 ? json("{'x':{'y':1},'z':2}") : LeafNode.of(i));
    }
    flush(ow("/many", many.build()));
    expected.sort(KeyOrder.COMPARATOR);
    assertThat(childKeys("/many")).containsExactlyElementsOf(expected);
    assertThat(store().childKeys(NS, p("/many"), 10)).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void reportsExistence() {
    set("/a", "{'b':{'c':1},'d':'x'}");
    assertThat(exists("/")).isTrue();
    assertThat(exists("/a")).isTrue();
    assertThat(exists("/a/b")).isTrue();
    assertThat(exists("/a/b/c")).isTrue();
    assertThat(exists("/a/d")).isTrue();
    assertThat(exists("/a/d/e")).isFalse();
    assertThat(exists("/a/e")).isFalse();
    assertThat(exists("/b")).isFalse();
    assertThat(exists("/a/b/c/d")).isFalse();
  }

  // ---- keys that look alike ----

  /** Siblings whose names are prefixes or extensions of each other, with children, at two levels. */
  private static final List<String> LOOKALIKES =
      List.of("a", "a0", "a b", "a-", "ab", "a~", "a_", "a!", "a\u00e9", "a😀", "a1");

  private Node lookalikeTree(int level) {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (String key : LOOKALIKES) {
      b.put(key, ChildrenNode.builder()
          .put("child", LeafNode.of(key + "@" + level))
          .put("nested", ChildrenNode.builder().put("deep", LeafNode.of(level)).build())
          .build());
    }
    return b.build();
  }

  @Test
  void keepsSubtreesOfLookalikeSiblingsApart() {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (String key : LOOKALIKES) {
      b.put(key, lookalikeTree(1));
    }
    Node all = b.build();
    flush(ow("/", all));
    assertNode(read("/"), all);
    for (String key : LOOKALIKES) {
      assertNode(store().read(NS, Path.of(key)), lookalikeTree(1));
      assertThat(store().childKeys(NS, Path.of(key), 0)).containsExactlyInAnyOrderElementsOf(LOOKALIKES);
      for (String inner : LOOKALIKES) {
        assertNode(store().read(NS, Path.of(key, inner, "child")), LeafNode.of(inner + "@1"));
        assertThat(store().childKeys(NS, Path.of(key, inner), 0)).containsExactly("child", "nested");
      }
    }
    List<String> sorted = new ArrayList<>(LOOKALIKES);
    sorted.sort(KeyOrder.COMPARATOR);
    assertThat(childKeys("/")).containsExactlyElementsOf(sorted);
  }

  @Test
  void deletingOneLookalikeLeavesTheOthers() {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (String key : LOOKALIKES) {
      b.put(key, lookalikeTree(1));
    }
    flush(ow("/", b.build()));
    store().apply(new FlushBatch(0, Map.of(NS, List.of(new Overwrite(Path.of("a"), Node.empty()),
        new Overwrite(Path.of("ab", "a"), Node.empty()))), nextCheckpoint()));
    assertThat(store().exists(NS, Path.of("a"))).isFalse();
    assertThat(store().exists(NS, Path.of("a", "a0"))).isFalse();
    for (String key : LOOKALIKES.subList(1, LOOKALIKES.size())) {
      assertThat(store().exists(NS, Path.of(key, "a0", "nested", "deep"))).as(key).isTrue();
      assertThat(store().exists(NS, Path.of(key, "a", "child"))).as(key).isEqualTo(!key.equals("ab"));
    }
    Node abA = store().read(NS, Path.of("ab"));
    assertThat(abA.child("a").isEmpty()).isTrue();
    assertThat(abA.childCount()).isEqualTo(LOOKALIKES.size() - 1);
  }

  @Test
  void replacingOneLookalikeLeavesTheOthers() {
    set("/", "{'a':{'x':1},'a0':{'x':2},'a b':{'x':3},'a-':{'x':4},'ab':{'x':5}}");
    set("/a", "'leaf'");
    assertTree("/", "{'a':'leaf','a0':{'x':2},'a b':{'x':3},'a-':{'x':4},'ab':{'x':5}}");
    set("/a", "{'y':{'z':1}}");
    assertTree("/", "{'a':{'y':{'z':1}},'a0':{'x':2},'a b':{'x':3},'a-':{'x':4},'ab':{'x':5}}");
  }

  @Test
  void storesKeysWithUnicodeSpacesAndPunctuation() {
    List<String> keys = List.of("héllo wörld", "日本語", "emoji 😀🎉", "~tilde", "0", "-", "_", "a%20b", "'quote'",
        "\"dq\"", "back\\slash", "semi;colon", "@at", "  ", "ω", "\u00a0nbsp", "\u2028");
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (String key : keys) {
      b.put(key, ChildrenNode.builder().put(key, LeafNode.of(key)).build());
    }
    Node tree = b.build();
    flush(ow("/k", tree));
    assertNode(read("/k"), tree);
    for (String key : keys) {
      assertNode(store().read(NS, Path.of("k", key, key)), LeafNode.of(key));
      assertThat(store().childKeys(NS, Path.of("k", key), 0)).containsExactly(key);
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(KeyOrder.COMPARATOR);
    assertThat(childKeys("/k")).containsExactlyElementsOf(sorted);
  }

  // ---- namespaces ----

  @Test
  void keepsNamespacesIsolated() {
    flushTo("one", ow("/a", "{'b':1}"));
    flushTo("two", ow("/a", "{'c':2}"));
    flushTo("one-two", ow("/a", "3"));
    flushTo("on", ow("/x", "4"));
    assertTree("one", "/", "{'a':{'b':1}}");
    assertTree("two", "/", "{'a':{'c':2}}");
    assertTree("one-two", "/", "{'a':3}");
    assertTree("on", "/", "{'x':4}");
    assertThat(store().childKeys("one", Path.ROOT, 0)).containsExactly("a");
    assertThat(store().exists("two", p("/a/b"))).isFalse();
    flushTo("one", ow("/", "null"));
    assertTree("one", "/", "null");
    assertTree("two", "/", "{'a':{'c':2}}");
    assertTree("one-two", "/", "{'a':3}");
    assertTree("on", "/", "{'x':4}");
  }

  @Test
  void appliesSeveralNamespacesInOneFlush() {
    Map<String, List<Overwrite>> writes = new LinkedHashMap<>();
    writes.put("n1", List.of(ow("/a", "1"), ow("/b/c", "2")));
    writes.put("n2", List.of(ow("/", "{'x':{'y':true}}")));
    writes.put("n3", List.of());
    store().apply(new FlushBatch(3, writes, new Checkpoint(10, 20)));
    assertTree("n1", "/", "{'a':1,'b':{'c':2}}");
    assertTree("n2", "/", "{'x':{'y':true}}");
    assertTree("n3", "/", "null");
    assertThat(store().checkpoint(3)).isEqualTo(new Checkpoint(10, 20));
  }

  @Test
  void keepsRulesNamespacesApartFromTheirOwners() {
    String longest = "x".repeat(50);
    flushTo(longest, ow("/a", "1"));
    Node rulesText = TreeJson.parse("\"{\\\"rules\\\":{}}\"");
    flushTo("_rules-" + longest, ow("/", rulesText));
    flushTo("_rules-one", ow("/", "'r1'"));
    assertTree(longest, "/", "{'a':1}");
    assertNode(store().read("_rules-" + longest, Path.ROOT), rulesText);
    assertTree("_rules-one", "/", "'r1'");
    assertTree("one", "/", "null");
    reopen();
    assertTree("_rules-one", "/", "'r1'");
    flushTo("_rules-one", ow("/", "null"));
    assertTree("_rules-one", "/", "null");
  }

  @Test
  void rejectsInvalidNamespaces() {
    for (String bad : List.of("", "UPPER", "a_b", "a.b", "a/b", "a b", "ns$", "x".repeat(51), "é", "_rules-",
        "_rules-A", "_rules-" + "x".repeat(51), "_rules-_rules-a")) {
      assertThatThrownBy(() -> store().read(bad, Path.ROOT)).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().exists(bad, p("/a"))).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().childKeys(bad, Path.ROOT, 0)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().apply(new FlushBatch(0, Map.of(bad, List.of(ow("/a", "1"))),
          new Checkpoint(1, 1)))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store().checkpoint(0)).isEqualTo(Checkpoint.NONE);
    store().apply(new FlushBatch(0, Map.of("x".repeat(50), List.of(ow("/a", "1"))), new Checkpoint(1, 1)));
    assertTree("x".repeat(50), "/", "{'a':1}");
  }

  // ---- the root ----

  @Test
  void overwritesTheWholeNamespace() {
    set("/", "{'a':{'b':1},'c':2}");
    set("/", "{'.priority':'top','d':{'e':3}}");
    assertTree("/", "{'.priority':'top','d':{'e':3}}");
    assertThat(exists("/a")).isFalse();
    assertThat(exists("/a/b")).isFalse();
    assertThat(childKeys("/")).containsExactly("d");
  }

  @Test
  void setsTheRootToALeafAndBack() {
    set("/", "{'a':{'b':1}}");
    set("/", "42");
    assertTree("/", "42");
    assertThat(childKeys("/")).isEmpty();
    assertThat(exists("/a")).isFalse();
    set("/", "{'z':1}");
    assertTree("/", "{'z':1}");
  }

  @Test
  void deletesTheWholeNamespaceAndWritesAgain() {
    set("/", "{'a':{'b':1},'c':2}");
    delete("/");
    assertTree("/", "null");
    assertThat(exists("/")).isFalse();
    assertThat(childKeys("/")).isEmpty();
    set("/x", "1");
    assertTree("/", "{'x':1}");
  }

  // ---- batches ----

  @Test
  void appliesManyOverwritesOfOneNamespaceInOneFlush() {
    set("/", "{'keep':1,'gone':{'x':1},'leaf':{'.value':2,'.priority':'lp'}}");
    flush(ow("/gone", "null"), ow("/new/a/b", "1"), ow("/leaf/child", "3"), ow("/keep2", "{'y':{'z':1}}"),
        ow("/new/c", "2"));
    assertTree("/", "{'keep':1,'new':{'a':{'b':1},'c':2},'leaf':{'.priority':'lp','child':3},"
        + "'keep2':{'y':{'z':1}}}");
  }

  @Test
  void rejectsOverlappingOverwritesWithoutApplyingAnything() {
    set("/a", "1");
    Checkpoint before = store().checkpoint(0);
    for (List<Overwrite> bad : List.of(
        List.of(ow("/x", "1"), ow("/x/y", "2")),
        List.of(ow("/x/y", "1"), ow("/x", "2")),
        List.of(ow("/x", "1"), ow("/x", "2")),
        List.of(ow("/", "1"), ow("/q", "2")))) {
      Map<String, List<Overwrite>> writes = new LinkedHashMap<>();
      writes.put("aaa-first", List.of(ow("/should-not-appear", "1")));
      writes.put(NS, bad);
      assertThatThrownBy(() -> store().apply(new FlushBatch(0, writes, new Checkpoint(99, 99))))
          .as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
    }
    assertTree("/", "{'a':1}");
    assertTree("aaa-first", "/", "null");
    assertThat(store().checkpoint(0)).isEqualTo(before);
  }

  @Test
  void applyingTheSameBatchTwiceGivesTheSameState() {
    set("/", "{'a':{'b':1,'c':{'d':2}},'e':{'.value':'x','.priority':1},'f':{'g':1}}");
    FlushBatch batch = new FlushBatch(1, Map.of(NS, List.of(ow("/a/b", "null"), ow("/a/c/d", "null"),
        ow("/e/new", "{'z':1}"), ow("/f", "{'h':{'i':2}}"), ow("/j/k", "3"))), new Checkpoint(50, 60));
    store().apply(batch);
    Node once = read("/");
    store().apply(batch);
    assertNode(read("/"), once);
    assertTree("/", "{'e':{'.priority':1,'new':{'z':1}},'f':{'h':{'i':2}},'j':{'k':3}}");
    assertThat(store().checkpoint(1)).isEqualTo(new Checkpoint(50, 60));
  }

  @Test
  void replayingAnOlderPrefixOfFlushesConverges() {
    List<FlushBatch> flushes = List.of(
        new FlushBatch(0, Map.of(NS, List.of(ow("/a", "{'b':1,'c':2}"))), new Checkpoint(1, 1)),
        new FlushBatch(0, Map.of(NS, List.of(ow("/a/b", "null"), ow("/d", "4"))), new Checkpoint(2, 2)),
        new FlushBatch(0, Map.of(NS, List.of(ow("/a/c", "null"), ow("/d/e", "5"))), new Checkpoint(3, 3)));
    flushes.forEach(store()::apply);
    Node expected = read("/");
    // A new owner replays from an older checkpoint: the same flushes again, in order.
    flushes.subList(1, 3).forEach(store()::apply);
    assertNode(read("/"), expected);
    assertTree("/", "{'d':{'e':5}}");
  }

  // ---- checkpoints ----

  @Test
  void hasNoCheckpointBeforeTheFirstFlush() {
    assertThat(store().checkpoint(0)).isEqualTo(Checkpoint.NONE);
    assertThat(store().checkpoint(17)).isEqualTo(Checkpoint.NONE);
  }

  @Test
  void recordsCheckpointsPerPartition() {
    store().apply(new FlushBatch(0, Map.of(NS, List.of(ow("/a", "1"))), new Checkpoint(5, 7)));
    store().apply(new FlushBatch(2, Map.of("other", List.of(ow("/b", "1"))), new Checkpoint(100, 3)));
    assertThat(store().checkpoint(0)).isEqualTo(new Checkpoint(5, 7));
    assertThat(store().checkpoint(1)).isEqualTo(Checkpoint.NONE);
    assertThat(store().checkpoint(2)).isEqualTo(new Checkpoint(100, 3));
  }

  @Test
  void advancesCheckpointsWithEveryFlush() {
    for (long i = 1; i <= 20; i++) {
      store().apply(new FlushBatch(4, Map.of(NS, List.of(ow("/counter", LeafNode.of(i)))),
          new Checkpoint(i * 10, i * 3)));
      assertThat(store().checkpoint(4)).isEqualTo(new Checkpoint(i * 10, i * 3));
    }
    assertTree("/counter", "20");
    store().apply(new FlushBatch(4, Map.of(), new Checkpoint(Long.MAX_VALUE - 1, Long.MAX_VALUE)));
    assertThat(store().checkpoint(4)).isEqualTo(new Checkpoint(Long.MAX_VALUE - 1, Long.MAX_VALUE));
  }

  @Test
  void recordsTheCheckpointOfAFlushWithoutWrites() {
    store().apply(new FlushBatch(6, Map.of(), new Checkpoint(9, 8)));
    store().apply(new FlushBatch(7, Map.of(NS, List.of()), new Checkpoint(3, 4)));
    assertThat(store().checkpoint(6)).isEqualTo(new Checkpoint(9, 8));
    assertThat(store().checkpoint(7)).isEqualTo(new Checkpoint(3, 4));
    assertTree("/", "null");
  }

  // ---- fencing ----

  @Test
  void claimsRaiseTheOwnerEpochPerPartition() {
    assertThat(store().claim(3)).isEqualTo(1);
    assertThat(store().claim(3)).isEqualTo(2);
    assertThat(store().claim(4)).isEqualTo(1);
    assertThat(store().checkpoint(3)).as("a claim alone records no checkpoint").isEqualTo(Checkpoint.NONE);
    store().apply(new FlushBatch(3, Map.of(NS, List.of(ow("/a", "1"))), new Checkpoint(5, 6, 2)));
    assertThat(store().checkpoint(3)).isEqualTo(new Checkpoint(5, 6, 2));
    assertThat(store().claim(3)).isEqualTo(3);
    assertThat(store().checkpoint(3)).as("a claim keeps the checkpoint").isEqualTo(new Checkpoint(5, 6, 2));
  }

  @Test
  void refusesFlushesOfAFencedOwnerWithoutWritingAnything() {
    long old = store().claim(0);
    store().apply(new FlushBatch(0, Map.of(NS, List.of(ow("/a", "{'b':1}"))), new Checkpoint(1, 1, old)));
    long current = store().claim(0);
    assertThat(current).isGreaterThan(old);
    store().apply(new FlushBatch(0, Map.of(NS, List.of(ow("/a/c", "2"))), new Checkpoint(2, 3, current)));

    FlushBatch stale = new FlushBatch(0, Map.of(NS, List.of(ow("/a", "null"), ow("/z", "'zombie'")),
        "other", List.of(ow("/x", "1"))), new Checkpoint(9, 9, old));
    assertThatThrownBy(() -> store().apply(stale)).isInstanceOfSatisfying(FencedException.class, e -> {
      assertThat(e.partition()).isZero();
      assertThat(e.epoch()).isEqualTo(old);
      assertThat(e.ownerEpoch()).isEqualTo(current);
    });
    assertTree("/", "{'a':{'b':1,'c':2}}");
    assertTree("other", "/", "null");
    assertThat(store().checkpoint(0)).isEqualTo(new Checkpoint(2, 3, current));
    // the owner goes on
    store().apply(new FlushBatch(0, Map.of(NS, List.of(ow("/a/b", "null"))), new Checkpoint(4, 5, current)));
    assertTree("/", "{'a':{'c':2}}");
  }

  @Test
  void fencingIsPerPartition() {
    store().claim(0);
    store().claim(0);
    store().apply(new FlushBatch(1, Map.of("other", List.of(ow("/x", "1"))), new Checkpoint(1, 1, 0)));
    assertTree("other", "/", "{'x':1}");
    assertThatThrownBy(() -> store().apply(new FlushBatch(0, Map.of(), new Checkpoint(1, 1, 1))))
        .isInstanceOf(FencedException.class);
  }

  @Test
  void keepsOwnerEpochsAcrossReopen() {
    long epoch = store().claim(2);
    store().apply(new FlushBatch(2, Map.of(NS, List.of(ow("/a", "1"))), new Checkpoint(3, 4, epoch)));
    long newer = store().claim(2);
    reopen();
    assertThat(store().checkpoint(2)).isEqualTo(new Checkpoint(3, 4, epoch));
    assertThatThrownBy(() -> store().apply(new FlushBatch(2, Map.of(NS, List.of(ow("/a", "2"))),
        new Checkpoint(5, 6, epoch)))).isInstanceOf(FencedException.class);
    assertThat(store().claim(2)).isEqualTo(newer + 1);
    assertTree("/", "{'a':1}");
  }

  @Test
  void rejectsNegativePartitions() {
    assertThatThrownBy(() -> store().checkpoint(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- durability and lifecycle ----

  @Test
  void keepsDataAndCheckpointsAcrossReopen() {
    set("/", "{'a':{'.priority':1,'b':'x'},'c':[1,2,3]}");
    flushTo("second", ow("/z", "true"));
    store().apply(new FlushBatch(5, Map.of(NS, List.of(ow("/d", "4"))), new Checkpoint(77, 88)));
    Node before = read("/");
    reopen();
    assertNode(read("/"), before);
    assertTree("second", "/", "{'z':true}");
    assertThat(store().checkpoint(5)).isEqualTo(new Checkpoint(77, 88));
    assertThat(childKeys("/")).containsExactly("a", "c", "d");
    delete("/a");
    reopen();
    assertTree("/", "{'c':[1,2,3],'d':4}");
  }

  @Test
  void rejectsUseAfterCloseAndClosesIdempotently() {
    set("/a", "1");
    TreeStore s = store();
    s.close();
    s.close();
    assertThatThrownBy(() -> s.read(NS, Path.ROOT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.exists(NS, Path.ROOT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.childKeys(NS, Path.ROOT, 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.checkpoint(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.apply(new FlushBatch(0, Map.of(), new Checkpoint(1, 1))))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- the model test ----

  /** Random flushes against the store and against {@link Node#set}; every state must match. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void matchesTheTreeModelOverRandomFlushes() {
    RandomTrees random = new RandomTrees(0x5EED_C0DEL);
    List<String> namespaces = List.of("model-a", "model-b");
    Map<String, Node> model = new HashMap<>();
    namespaces.forEach(ns -> model.put(ns, Node.empty()));
    for (int round = 1; round <= 320; round++) {
      Map<String, List<Overwrite>> writes = new HashMap<>();
      for (String ns : namespaces) {
        if (random.random().nextInt(3) == 0) {
          continue;
        }
        int minDepth = random.random().nextInt(100) == 0 ? 0 : 1;
        List<Overwrite> overwrites = new ArrayList<>();
        for (Path path : random.disjointPaths(1 + random.random().nextInt(6), minDepth, 4)) {
          overwrites.add(new Overwrite(path, random.value(3)));
        }
        writes.put(ns, overwrites);
      }
      Checkpoint cp = new Checkpoint(round, round);
      store().apply(new FlushBatch(round % 3, writes, cp));
      for (Map.Entry<String, List<Overwrite>> e : writes.entrySet()) {
        Node tree = model.get(e.getKey());
        for (Overwrite w : e.getValue()) {
          tree = w.applyTo(tree);
        }
        model.put(e.getKey(), tree);
      }
      String where = "round " + round + " after " + writes;
      assertThat(store().checkpoint(round % 3)).as(where).isEqualTo(cp);
      for (String ns : namespaces) {
        Node expected = model.get(ns);
        Node actual = store().read(ns, Path.ROOT);
        assertThat(TreeJson.write(actual, true)).as(where + " in " + ns)
            .isEqualTo(TreeJson.write(expected, true));
        assertThat(actual).as(where).isEqualTo(expected);
        List<Path> probes = new ArrayList<>(existingPaths(expected, 6, random));
        for (int i = 0; i < 4; i++) {
          probes.add(random.path(0, 4));
        }
        for (Path probe : probes) {
          checkAgainstModel(ns, probe, expected.get(probe), where);
        }
      }
    }
  }

  private void checkAgainstModel(String ns, Path path, Node expected, String where) {
    String at = where + " in " + ns + " at " + path;
    assertThat(store().read(ns, path)).as(at).isEqualTo(expected);
    assertThat(store().exists(ns, path)).as(at).isEqualTo(!expected.isEmpty());
    List<String> keys = new ArrayList<>();
    expected.forEachChild((key, child) -> keys.add(key));
    assertThat(store().childKeys(ns, path, 0)).as(at).containsExactlyElementsOf(keys);
    List<String> limited = store().childKeys(ns, path, 2);
    assertThat(limited).as(at).hasSize(Math.min(2, keys.size())).isSubsetOf(keys)
        .isSortedAccordingTo(KeyOrder.COMPARATOR);
  }

  /** Up to {@code count} random paths of nodes in {@code tree}. */
  private static List<Path> existingPaths(Node tree, int count, RandomTrees random) {
    List<Path> all = new ArrayList<>();
    collectPaths(tree, Path.ROOT, all);
    List<Path> picked = new ArrayList<>();
    for (int i = 0; i < count && !all.isEmpty(); i++) {
      picked.add(all.get(random.random().nextInt(all.size())));
    }
    return picked;
  }

  private static void collectPaths(Node node, Path at, List<Path> out) {
    if (node.isEmpty()) {
      return;
    }
    out.add(at);
    node.forEachChild((key, child) -> collectPaths(child, at.child(key), out));
  }

  // ---- concurrency ----

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void servesReadsWhileApplyingFlushes() throws Exception {
    RandomTrees random = new RandomTrees(42);
    int flushes = 150;
    List<FlushBatch> batches = new ArrayList<>();
    List<Node> states = new ArrayList<>();
    Node tree = Node.empty();
    states.add(tree);
    for (int i = 1; i <= flushes; i++) {
      List<Overwrite> overwrites = new ArrayList<>();
      for (Path path : random.disjointPaths(1 + random.random().nextInt(5), 1, 3)) {
        overwrites.add(new Overwrite(path, random.value(2)));
      }
      for (Overwrite w : overwrites) {
        tree = w.applyTo(tree);
      }
      states.add(tree);
      batches.add(new FlushBatch(0, Map.of(NS, overwrites), new Checkpoint(i, i)));
    }
    // For atomic stores: state JSON -> the flushes after which the namespace looks like that.
    Map<String, List<Integer>> flushesByState = new HashMap<>();
    for (int i = 0; i < states.size(); i++) {
      flushesByState.computeIfAbsent(TreeJson.write(states.get(i), true), k -> new ArrayList<>()).add(i);
    }
    TreeStore s = store();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch readersStarted = new CountDownLatch(3);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      int seed = r;
      Thread t = new Thread(() -> {
        RandomTrees mine = new RandomTrees(seed);
        readersStarted.countDown();
        while (!done.get()) {
          try {
            long checkpoint = s.checkpoint(0).writesOffset();
            Node root = s.read(NS, Path.ROOT);
            Path probe = mine.path(1, 3);
            s.read(NS, probe);
            s.exists(NS, probe);
            s.childKeys(NS, probe.parent(), 3);
            s.childKeys(NS, Path.ROOT, 0);
            if (flushesAreAtomic()) {
              List<Integer> matching = flushesByState.get(TreeJson.write(root, true));
              if (matching == null || matching.stream().noneMatch(i -> i >= checkpoint)) {
                throw new AssertionError("read a state no flush at or after checkpoint " + checkpoint
                    + " produced: " + root);
              }
            }
            reads.incrementAndGet();
          } catch (Throwable e) {
            failures.add(e);
            return;
          }
        }
      }, "conformance-reader-" + r);
      t.start();
      readers.add(t);
    }
    readersStarted.await();
    try {
      for (FlushBatch b : batches) {
        s.apply(b);
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join(30_000);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(reads.get()).isPositive();
    assertNode(s.read(NS, Path.ROOT), states.get(states.size() - 1));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void appliesFlushesOfDifferentPartitionsConcurrently() throws Exception {
    TreeStore s = store();
    int perPartition = 40;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>();
    for (int partition = 0; partition < 3; partition++) {
      int part = partition;
      Thread t = new Thread(() -> {
        try {
          for (int i = 1; i <= perPartition; i++) {
            s.apply(new FlushBatch(part, Map.of("part-" + part, List.of(
                new Overwrite(Path.of("k" + (i % 7)), LeafNode.of(i)),
                new Overwrite(Path.of("obj", "n" + i), i % 2 == 0 ? LeafNode.of(true) : Node.empty()))),
                new Checkpoint(i, i)));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "conformance-writer-" + partition);
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) {
      t.join(60_000);
    }
    assertThat(failure.get()).isNull();
    Set<String> expectedObjKeys = new HashSet<>();
    for (int i = 2; i <= perPartition; i += 2) {
      expectedObjKeys.add("n" + i);
    }
    for (int partition = 0; partition < 3; partition++) {
      assertThat(s.checkpoint(partition)).isEqualTo(new Checkpoint(perPartition, perPartition));
      assertThat(s.childKeys("part-" + partition, p("/obj"), 0)).containsExactlyInAnyOrderElementsOf(expectedObjKeys);
      assertNode(s.read("part-" + partition, p("/k5")), LeafNode.of(40.0));
    }
  }
}
