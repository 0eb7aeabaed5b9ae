package io.canopy.core.query;

import static io.canopy.core.query.TestTrees.json;
import static io.canopy.core.query.TestTrees.leaf;
import static io.canopy.core.query.TestTrees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryIndexTest {

  private static List<String> sortKeys(QueryIndex index, Node node) {
    List<Map.Entry<String, Node>> entries = new ArrayList<>();
    node.forEachChild((k, c) -> entries.add(Map.entry(k, c)));
    Collections.shuffle(entries, new Random(7));
    entries.sort(index.comparator());
    List<String> keys = new ArrayList<>();
    entries.forEach(e -> keys.add(e.getKey()));
    return keys;
  }

  @Test
  void valueOrderAcrossTypes() {
    Node n = obj(
        "obj2", obj("z", 1),
        "str", "abc",
        "t", true,
        "f", false,
        "big", 1e21,
        "neg", -5,
        "empty", "",
        "obj1", obj("a", obj("b", 1)),
        "upper", "ABC",
        "frac", 0.5,
        "digits", "10");
    assertThat(sortKeys(QueryIndex.VALUE, n))
        .containsExactly("f", "t", "neg", "frac", "big", "empty", "digits", "upper", "str", "obj1", "obj2");
  }

  @Test
  void missingChildValueSortsFirstAndObjectsTie() {
    Node n = json("{'a':{'s':{'x':1}},'b':{'t':1},'c':{'s':null},'d':{'s':{'y':2}},'e':{'s':'z'},'f':7}");
    // b and f (a leaf) have no s, c vanished (its only child was null); a and d are objects and tie: key order
    assertThat(sortKeys(QueryIndex.child("s"), n)).containsExactly("b", "f", "e", "a", "d");
  }

  @Test
  void deepChildPath() {
    Node n = json("{'a':{'x':{'y':3}},'b':{'x':{'y':1}},'c':{'x':2},'d':{'x':{'y':'s'}}}");
    assertThat(sortKeys(QueryIndex.child(Path.parse("x/y")), n)).containsExactly("c", "b", "a", "d");
    assertThat(QueryIndex.child("x/y").wireName()).isEqualTo("x/y");
  }

  @Test
  void negativeZeroEqualsZeroSoKeysDecide() {
    Node n = obj("b", leaf(-0.0), "a", leaf(0.0), "c", leaf(-0.0), "m", leaf(-1e-300));
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("m", "a", "b", "c");
    assertThat(QueryIndex.compareValues(-0.0, 0.0)).isZero();
    Node p = obj("b", leaf(1, -0.0), "a", leaf(1, 0.0));
    assertThat(sortKeys(QueryIndex.PRIORITY, p)).containsExactly("a", "b");
  }

  @Test
  void largeNumbersStayNumbers() {
    Node n = obj("a", leaf(1e21), "b", leaf(9.007199254740993e15), "c", leaf(-1e21), "d", leaf("1"), "e",
        leaf(Double.MAX_VALUE), "f", leaf(-Double.MAX_VALUE), "g", leaf(Double.MIN_VALUE));
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("f", "c", "g", "b", "a", "e", "d");
  }

  @Test
  void emptyStringIsTheSmallestString() {
    Node n = obj("a", leaf("a"), "b", leaf(""), "c", leaf(" "), "d", leaf(1e300), "e", leaf(true));
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("e", "d", "b", "c", "a");
  }

  @Test
  void stringsCompareByUtf16CodeUnits() {
    // U+FF5E (one unit 0xFF5E) sorts after U+1F600 (surrogates 0xD83D 0xDE00), unlike code point order
    Node n = obj("a", leaf("\uFF5E"), "b", leaf("\uD83D\uDE00"), "c", leaf("\u00FC"), "d", leaf("z"));
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("d", "c", "b", "a");
  }

  @Test
  void priorityOrder() {
    Node n = obj(
        "a", leaf(1, "b"),
        "b", leaf(2, 5),
        "c", leaf(3),
        "d", leaf(4, "a"),
        "e", leaf(5, -1),
        "f", json("{'x':1,'.priority':5}"),
        "g", leaf(7, ""),
        "10", leaf(8),
        "2", leaf(9));
    assertThat(sortKeys(QueryIndex.PRIORITY, n)).containsExactly("2", "10", "c", "e", "b", "f", "g", "d", "a");
  }

  @Test
  void priorityIgnoresValuesAndValueIgnoresPriorities() {
    Node n = obj("a", leaf(2, 1), "b", leaf(1, 2));
    assertThat(sortKeys(QueryIndex.PRIORITY, n)).containsExactly("a", "b");
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("b", "a");
  }

  @Test
  void keyIndexUsesKeyOrder() {
    Node n = obj("b", 1, "a", 2, "10", 3, "9", 4, "-1", 5, "01", 6, "1", 7);
    assertThat(sortKeys(QueryIndex.KEY, n)).containsExactly("-1", "1", "01", "9", "10", "a", "b");
  }

  @Test
  void tiesBreakByKeyOrderNotStringOrder() {
    Node n = obj("b", 1, "10", 1, "9", 1, "a", 1);
    assertThat(sortKeys(QueryIndex.VALUE, n)).containsExactly("9", "10", "a", "b");
  }

  @Test
  void indexedValueChangedFollowsTheSdk() {
    Node a = leaf(1, 5);
    assertThat(QueryIndex.PRIORITY.indexedValueChanged(a, leaf(2, 5))).isFalse();
    assertThat(QueryIndex.PRIORITY.indexedValueChanged(a, leaf(1, 6))).isTrue();
    assertThat(QueryIndex.VALUE.indexedValueChanged(a, leaf(2, 5))).isTrue();
    assertThat(QueryIndex.VALUE.indexedValueChanged(a, leaf(1, 5))).isFalse();
    assertThat(QueryIndex.KEY.indexedValueChanged(a, leaf(2))).isFalse();
    QueryIndex s = QueryIndex.child("s");
    assertThat(s.indexedValueChanged(obj("s", 1, "t", 1), obj("s", 1, "t", 2))).isFalse();
    assertThat(s.indexedValueChanged(obj("s", 1), obj("s", 2))).isTrue();
  }

  @Test
  void namesAndEquality() {
    assertThat(QueryIndex.fromWire(null)).isSameAs(QueryIndex.PRIORITY);
    assertThat(QueryIndex.fromWire(".priority")).isSameAs(QueryIndex.PRIORITY);
    assertThat(QueryIndex.fromWire(".key")).isSameAs(QueryIndex.KEY);
    assertThat(QueryIndex.fromWire(".value")).isSameAs(QueryIndex.VALUE);
    assertThat(QueryIndex.fromWire("a/b")).isEqualTo(QueryIndex.child("a/b")).hasSameHashCodeAs(QueryIndex.child("/a/b/"));
    assertThat(QueryIndex.fromWire("a/b")).isNotEqualTo(QueryIndex.child("a"));
    assertThat(QueryIndex.KEY.restName()).isEqualTo("$key");
    assertThat(QueryIndex.VALUE.restName()).isEqualTo("$value");
    assertThat(QueryIndex.PRIORITY.restName()).isEqualTo("$priority");
    assertThat(QueryIndex.child("a/b").kind()).isEqualTo(QueryIndex.Kind.CHILD);
    assertThat((Object) QueryIndex.child("a/b").path()).isEqualTo(Path.parse("a/b"));
    assertThatThrownBy(() -> QueryIndex.child(""))
        .isInstanceOf(CanopyException.class)
        .hasMessage("orderByChild: cannot pass in empty path. Use orderByValue() instead.")
        .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
    assertThatThrownBy(() -> QueryIndex.fromWire("a$b"))
        .isInstanceOf(CanopyException.class)
        .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
  }

  @Test
  void comparatorIsATotalOrderConsistentWithKeys() {
    Random rnd = new Random(11);
    List<QueryIndex> indexes = List.of(QueryIndex.PRIORITY, QueryIndex.KEY, QueryIndex.VALUE, QueryIndex.child("s"));
    List<Map.Entry<String, Node>> entries = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      entries.add(Map.entry("k" + i, RandomTrees.child(rnd)));
    }
    for (QueryIndex index : indexes) {
      for (Map.Entry<String, Node> a : entries) {
        for (Map.Entry<String, Node> b : entries) {
          int ab = index.comparator().compare(a, b);
          int ba = index.comparator().compare(b, a);
          assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(ba));
          assertThat(ab == 0).isEqualTo(a.getKey().equals(b.getKey()));
        }
      }
    }
  }
}
