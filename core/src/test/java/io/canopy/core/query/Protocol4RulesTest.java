package io.canopy.core.query;

import static io.canopy.core.query.TestTrees.json;
import static io.canopy.core.query.TestTrees.keys;
import static io.canopy.core.query.TestTrees.leaf;
import static io.canopy.core.query.TestTrees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.tree.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per rule of PROTOCOL.md §4 (query object, API mapping, evaluation) and the REST query rules. */
class Protocol4RulesTest {

  private static Map<String, Object> q(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<String> run(QuerySpec spec, Node node) {
    return QueryEngine.orderedKeys(spec, node);
  }

  @Nested
  class QueryObjectFields {
    @Test
    void iAbsentIsThePriorityIndex() {
      assertThat(QuerySpec.fromWire(q("l", 1, "vf", "l")).index()).isSameAs(QueryIndex.PRIORITY);
    }

    @Test
    void iNamesKeyValueOrAChildPath() {
      assertThat(QuerySpec.fromWire(q("i", ".key")).index()).isSameAs(QueryIndex.KEY);
      assertThat(QuerySpec.fromWire(q("i", ".value")).index()).isSameAs(QueryIndex.VALUE);
      assertThat(QuerySpec.fromWire(q("i", "a/b")).index()).isEqualTo(QueryIndex.child("a/b"));
    }

    @Test
    void spMayBeNull() {
      QuerySpec s = QuerySpec.fromWire(q("i", "x", "sp", null));
      assertThat(s.hasStart()).isTrue();
      // null sorts first, so every child is after the start
      assertThat(run(s, json("{'a':{'x':1},'b':{}}"))).containsExactly("a");
      assertThat(run(s, json("{'a':{'x':1},'b':{'y':2}}"))).containsExactly("b", "a");
    }

    @Test
    void snAbsentIsMinNameAndEnAbsentIsMaxName() {
      QuerySpec s = QuerySpec.fromWire(q("i", ".value", "sp", 1, "ep", 1));
      assertThat(s.start().name()).isEqualTo(KeyOrder.MIN_NAME);
      assertThat(s.end().name()).isEqualTo(KeyOrder.MAX_NAME);
      assertThat(run(s, obj("a", 1, "b", 1, "c", 2))).containsExactly("a", "b");
    }

    @Test
    void sinAndEinAbsentAreTrue() {
      QuerySpec s = QuerySpec.fromWire(q("i", ".value", "sp", 1, "sn", "a", "ep", 2, "en", "c"));
      assertThat(s.start().inclusive()).isTrue();
      assertThat(s.end().inclusive()).isTrue();
      assertThat(run(s, obj("a", 1, "b", 2, "c", 2, "d", 2))).containsExactly("a", "b", "c");
    }

    @Test
    void sinAndEinFalseAreStrict() {
      QuerySpec s = QuerySpec.fromWire(q("i", ".value", "sp", 1, "sn", "a", "sin", false, "ep", 2, "en", "c",
          "ein", false));
      assertThat(run(s, obj("a", 1, "b", 2, "c", 2, "d", 2))).containsExactly("b");
    }

    @Test
    void lWithVf() {
      Node n = obj("a", 1, "b", 2, "c", 3);
      assertThat(run(QuerySpec.fromWire(q("i", ".key", "l", 2, "vf", "l")), n)).containsExactly("a", "b");
      assertThat(run(QuerySpec.fromWire(q("i", ".key", "l", 2, "vf", "r")), n)).containsExactly("b", "c");
    }

    @Test
    void plainLimitIsResolvedFromTheStart() {
      Node n = obj("a", 1, "b", 2, "c", 3);
      assertThat(run(QuerySpec.fromWire(q("i", ".key", "l", 2)), n)).containsExactly("b", "c");
      assertThat(run(QuerySpec.fromWire(q("i", ".key", "sp", "a", "l", 2)), n)).containsExactly("a", "b");
    }

    @Test
    void javaAdminObjectsHaveNoSinOrEin() {
      QuerySpec java = QuerySpec.fromWire(q("i", "score", "sp", 5.0, "ep", 9L, "l", 10, "vf", "l"));
      assertThat(java).isEqualTo(QuerySpec.builder().orderByChild("score").startAt(5).endAt(9).limitToFirst(10)
          .build());
    }

    @Test
    void sentinelsAreBelowAndAboveEveryKey() {
      for (String k : List.of("-2147483648", "0", "a", "~", "\uD83D\uDE00", "[MIN_NAMF]", "[MAX_NAMD]")) {
        assertThat(KeyOrder.compare(KeyOrder.MIN_NAME, k)).isNegative();
        assertThat(KeyOrder.compare(KeyOrder.MAX_NAME, k)).isPositive();
      }
    }
  }

  @Nested
  class ApiMapping {
    @Test
    void startAt() {
      assertThat(QuerySpec.builder().orderByValue().startAt(1, "k").build().toWire())
          .isEqualTo(Map.of("i", ".value", "sp", 1L, "sn", "k"));
    }

    @Test
    void endAt() {
      assertThat(QuerySpec.builder().orderByValue().endAt(1, "k").build().toWire())
          .isEqualTo(Map.of("i", ".value", "ep", 1L, "en", "k"));
    }

    @Test
    void equalTo() {
      assertThat(QuerySpec.builder().orderByValue().equalTo("v").build().toWire())
          .isEqualTo(Map.of("i", ".value", "sp", "v", "ep", "v"));
    }

    @Test
    void startAfterOnANonKeyIndexWithoutKey() {
      assertThat(QuerySpec.builder().orderByValue().startAfter(1).build().toWire())
          .isEqualTo(Map.of("i", ".value", "sp", 1L, "sn", "[MAX_NAME]", "sin", false));
    }

    @Test
    void startAfterOnTheKeyIndexOrWithAKey() {
      assertThat(QuerySpec.builder().orderByKey().startAfter("a").build().toWire())
          .isEqualTo(Map.of("i", ".key", "sp", "a", "sin", false));
      assertThat(QuerySpec.builder().orderByValue().startAfter(1, "k").build().toWire())
          .isEqualTo(Map.of("i", ".value", "sp", 1L, "sn", "k", "sin", false));
    }

    @Test
    void endBeforeMirrors() {
      assertThat(QuerySpec.builder().orderByValue().endBefore(1).build().toWire())
          .isEqualTo(Map.of("i", ".value", "ep", 1L, "en", "[MIN_NAME]", "ein", false));
      assertThat(QuerySpec.builder().orderByKey().endBefore("a").build().toWire())
          .isEqualTo(Map.of("i", ".key", "ep", "a", "ein", false));
      assertThat(QuerySpec.builder().orderByValue().endBefore(1, "k").build().toWire())
          .isEqualTo(Map.of("i", ".value", "ep", 1L, "en", "k", "ein", false));
    }

    @Test
    void limitToFirstAndLast() {
      assertThat(QuerySpec.builder().limitToFirst(3).build().toWire()).isEqualTo(Map.of("l", 3, "vf", "l"));
      assertThat(QuerySpec.builder().limitToLast(3).build().toWire()).isEqualTo(Map.of("l", 3, "vf", "r"));
    }

    @Test
    void startAfterAndEndBeforeSkipTheWholeValue() {
      Node n = obj("a", 1, "b", 2, "c", 2, "d", 3);
      assertThat(run(QuerySpec.builder().orderByValue().startAfter(2).build(), n)).containsExactly("d");
      assertThat(run(QuerySpec.builder().orderByValue().endBefore(2).build(), n)).containsExactly("a");
      assertThat(run(QuerySpec.builder().orderByValue().startAfter(2, "b").build(), n)).containsExactly("c", "d");
      assertThat(run(QuerySpec.builder().orderByValue().endBefore(2, "c").build(), n)).containsExactly("a", "b");
    }
  }

  @Nested
  class Evaluation {
    private final QuerySpec limited = QuerySpec.builder().orderByValue().limitToFirst(5).build();

    @Test
    void step1LeafOrEmptyGivesEmpty() {
      assertThat(QueryEngine.apply(limited, leaf(3)).isEmpty()).isTrue();
      assertThat(QueryEngine.apply(limited, Node.empty()).isEmpty()).isTrue();
    }

    @Test
    void step2SortKeyPerIndex() {
      Node n = json("{'a':{'.value':3,'.priority':2},'b':{'.value':1,'.priority':3},'c':{'x':{'y':0}},"
          + "'d':{'x':{'y':-1},'.priority':1}}");
      assertThat(run(QuerySpec.DEFAULT, n)).containsExactly("c", "d", "a", "b");
      assertThat(run(QuerySpec.builder().orderByKey().build(), n)).containsExactly("a", "b", "c", "d");
      assertThat(run(QuerySpec.builder().orderByValue().build(), n)).containsExactly("b", "a", "c", "d");
      assertThat(run(QuerySpec.builder().orderByChild("x/y").build(), n)).containsExactly("a", "b", "d", "c");
    }

    @Test
    void step3ValueOrder() {
      Node n = obj("o", obj("z", 1), "s", "a", "n", 2, "t", true, "f", false, "m", -1);
      assertThat(run(QuerySpec.builder().orderByValue().build(), n)).containsExactly("f", "t", "m", "n", "s", "o");
      assertThat(run(QuerySpec.builder().orderByChild("q").build(), n)).containsExactly("f", "m", "n", "o", "s", "t");
    }

    @Test
    void step3NonLeafValuesTie() {
      Node n = obj("b", obj("z", 9), "a", obj("a", 1), "c", obj("m", obj("n", 1)));
      assertThat(run(QuerySpec.builder().orderByValue().build(), n)).containsExactly("a", "b", "c");
    }

    @Test
    void step3PrioritiesAreNullNumbersOrStrings() {
      Node n = obj("s", leaf(1, "a"), "n", leaf(1, 10), "none", leaf(1), "m", leaf(1, -10));
      assertThat(run(QuerySpec.DEFAULT, n)).containsExactly("none", "m", "n", "s");
      assertThatThrownBy(() -> leaf(1, true)).isInstanceOf(CanopyException.class);
    }

    @Test
    void step3TiesBreakByKeyOrder() {
      Node n = obj("b", 1, "a", 1, "10", 1, "9", 1);
      assertThat(run(QuerySpec.builder().orderByValue().build(), n)).containsExactly("9", "10", "a", "b");
    }

    @Test
    void step3aIntegerKeysFirstNumericallyShorterFirst() {
      Node n = obj("b", 1, "01", 1, "1", 1, "-5", 1, "10", 1, "2147483648", 1, "A", 1);
      assertThat(run(QuerySpec.builder().orderByKey().build(), n))
          .containsExactly("-5", "1", "01", "10", "2147483648", "A", "b");
    }

    @Test
    void step4RangeComparesValueThenKey() {
      Node n = obj("a", 1, "b", 2, "c", 2, "d", 2, "e", 3);
      QuerySpec s = QuerySpec.builder().orderByValue().startAt(2, "c").endAt(3, "a").build();
      assertThat(run(s, n)).containsExactly("c", "d");
    }

    @Test
    void step4StrictWhenNotInclusive() {
      Node n = obj("a", 1, "b", 2, "c", 3);
      QuerySpec s = QuerySpec.fromWire(q("i", ".value", "sp", 1, "sn", "a", "sin", false, "ep", 3, "en", "c",
          "ein", false));
      assertThat(run(s, n)).containsExactly("b");
    }

    @Test
    void step4KeyIndexBoundsAreKeys() {
      Node n = obj("a", 1, "b", 2, "c", 3);
      // sn/en are ignored with the key index
      QuerySpec s = QuerySpec.fromWire(q("i", ".key", "sp", "b", "sn", "zzz", "ep", "b", "en", "a"));
      assertThat(run(s, n)).containsExactly("b");
    }

    @Test
    void step5LimitAfterRange() {
      Node n = obj("a", 1, "b", 2, "c", 3, "d", 4, "e", 5);
      assertThat(run(QuerySpec.builder().orderByValue().startAt(2).endAt(4).limitToFirst(2).build(), n))
          .containsExactly("b", "c");
      assertThat(run(QuerySpec.builder().orderByValue().startAt(2).endAt(4).limitToLast(2).build(), n))
          .containsExactly("c", "d");
    }

    @Test
    void step6ResultHasFullSubtreesAndPriorities() {
      Node n = json("{'a':{'v':1,'deep':{'x':[1,2]},'.priority':1},'b':{'.value':'x','.priority':'p'},'c':{'v':9}}");
      Node r = QueryEngine.apply(QuerySpec.builder().orderByPriority().startAt(1).build(), n);
      assertThat(keys(r)).containsExactly("a", "b");
      assertThat(r.child("a")).isEqualTo(n.child("a"));
      assertThat(r.child("b")).isEqualTo(leaf("x", "p"));
    }
  }

  @Nested
  class RestRules {
    @Test
    void anyFilterRequiresOrderBy() {
      assertThatThrownBy(() -> QuerySpec.fromRest(Map.of("limitToFirst", "1")))
          .hasMessage("orderBy must be defined when other query parameters are defined");
    }

    @Test
    void keyBoundsMustBeStrings() {
      assertThatThrownBy(() -> QuerySpec.fromRest(Map.of("orderBy", "\"$key\"", "startAt", "1")))
          .isInstanceOf(CanopyException.class);
    }

    @Test
    void equalToExcludesStartAtAndEndAt() {
      assertThatThrownBy(() -> QuerySpec.fromRest(Map.of("orderBy", "\"x\"", "equalTo", "1", "endAt", "2")))
          .isInstanceOf(CanopyException.class);
    }

    @Test
    void boundsAreInclusiveWithoutTieBreak() {
      Node n = obj("a", 1, "b", 2, "c", 2, "d", 3);
      assertThat(run(QuerySpec.fromRest(Map.of("orderBy", "\"$value\"", "startAt", "2", "endAt", "2")), n))
          .containsExactly("b", "c");
      assertThat(run(QuerySpec.fromRest(Map.of("orderBy", "\"$value\"", "equalTo", "2")), n))
          .containsExactly("b", "c");
    }

    @Test
    void limitsApplyAfterOrdering() {
      Node n = obj("a", 3, "b", 1, "c", 2);
      assertThat(run(QuerySpec.fromRest(Map.of("orderBy", "\"$value\"", "limitToFirst", "2")), n))
          .containsExactly("b", "c");
      assertThat(run(QuerySpec.fromRest(Map.of("orderBy", "\"$value\"", "limitToLast", "2")), n))
          .containsExactly("c", "a");
    }
  }
}
