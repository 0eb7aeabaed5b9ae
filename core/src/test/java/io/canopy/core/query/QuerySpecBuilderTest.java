package io.canopy.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.KeyOrder;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The SDK-style builder: the API-to-wire mapping of PROTOCOL §4 and the SDK's validation. */
class QuerySpecBuilderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static QuerySpec.Builder b() {
    return QuerySpec.builder();
  }

  private static String wire(QuerySpec.Builder b) {
    try {
      return MAPPER.writeValueAsString(b.build().toWire()).replace('"', '\'');
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void rejects(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(CanopyException.class)
        .hasMessage(message)
        .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
  }

  @Test
  void startAtIsAnInclusiveStart() {
    assertThat(wire(b().orderByChild("s").startAt(1))).isEqualTo("{'i':'s','sp':1}");
    assertThat(wire(b().orderByChild("s").startAt(1, "k"))).isEqualTo("{'i':'s','sp':1,'sn':'k'}");
    assertThat(b().orderByChild("s").startAt(1).build().start().inclusive()).isTrue();
  }

  @Test
  void endAtIsAnInclusiveEnd() {
    assertThat(wire(b().orderByValue().endAt("x"))).isEqualTo("{'i':'.value','ep':'x'}");
    assertThat(wire(b().orderByValue().endAt("x", "k"))).isEqualTo("{'i':'.value','ep':'x','en':'k'}");
  }

  @Test
  void equalToSetsBothEnds() {
    assertThat(wire(b().orderByChild("s").equalTo(true))).isEqualTo("{'i':'s','sp':true,'ep':true}");
    assertThat(wire(b().orderByChild("s").equalTo(1, "i"))).isEqualTo("{'i':'s','sp':1,'sn':'i','ep':1,'en':'i'}");
    assertThat(wire(b().orderByKey().equalTo("a"))).isEqualTo("{'i':'.key','sp':'a','ep':'a'}");
  }

  @Test
  void startAfterWithoutKeyOnANonKeyIndexStartsAfterEveryKey() {
    assertThat(wire(b().orderByValue().startAfter(true)))
        .isEqualTo("{'i':'.value','sp':true,'sn':'[MAX_NAME]','sin':false}");
    assertThat(wire(b().startAfter(5))).isEqualTo("{'sp':5,'sn':'[MAX_NAME]','sin':false}");
  }

  @Test
  void startAfterWithKeyOrOnTheKeyIndexIsAnExclusiveStart() {
    assertThat(wire(b().orderByChild("s").startAfter(1, "e"))).isEqualTo("{'i':'s','sp':1,'sn':'e','sin':false}");
    assertThat(wire(b().orderByKey().startAfter("a"))).isEqualTo("{'i':'.key','sp':'a','sin':false}");
  }

  @Test
  void endBeforeMirrorsStartAfter() {
    assertThat(wire(b().orderByChild("s").endBefore(true)))
        .isEqualTo("{'i':'s','ep':true,'en':'[MIN_NAME]','ein':false}");
    assertThat(wire(b().orderByChild("s").endBefore(1, "e"))).isEqualTo("{'i':'s','ep':1,'en':'e','ein':false}");
    assertThat(wire(b().orderByKey().endBefore("a"))).isEqualTo("{'i':'.key','ep':'a','ein':false}");
  }

  @Test
  void limitsCarryTheirDirection() {
    assertThat(wire(b().orderByKey().limitToFirst(2))).isEqualTo("{'i':'.key','l':2,'vf':'l'}");
    assertThat(wire(b().orderByKey().limitToLast(3))).isEqualTo("{'i':'.key','l':3,'vf':'r'}");
    assertThat(wire(b().limitToLast(3))).isEqualTo("{'l':3,'vf':'r'}");
  }

  @Test
  void callOrderDoesNotMatter() {
    QuerySpec a = b().limitToLast(2).startAfter("m").orderByKey().build();
    QuerySpec c = b().orderByKey().startAfter("m").limitToLast(2).build();
    assertThat(a).isEqualTo(c);
    assertThat(a.start()).isEqualTo(new QuerySpec.Bound("m", KeyOrder.MIN_NAME, false));
  }

  @Test
  void numbersOfAnyTypeAreDoubles() {
    assertThat(b().orderByValue().startAt(1).build()).isEqualTo(b().orderByValue().startAt(1.0).build());
    assertThat(b().orderByValue().startAt(1L).build()).isEqualTo(b().orderByValue().startAt(1.0f).build());
    assertThat(b().orderByValue().startAt(-0.0).build()).isEqualTo(b().orderByValue().startAt(0).build());
  }

  @Test
  void defaultsAndIsDefault() {
    assertThat(b().build()).isEqualTo(QuerySpec.DEFAULT);
    assertThat(b().orderByChild("s").build().isDefault()).isTrue();
    assertThat(b().orderByChild("s").limitToFirst(1).build().isDefault()).isFalse();
    assertThat(b().orderByChild("s").endAt(null).build().isDefault()).isFalse();
    assertThat(b().orderByChild("s").build().withoutLimit().isDefault()).isTrue();
    assertThat(b().orderByChild("s").limitToLast(1).build().withoutLimit())
        .isEqualTo(b().orderByChild("s").build());
    assertThat(b().limitToLast(1).build().withIndex(QueryIndex.VALUE))
        .isEqualTo(b().orderByValue().limitToLast(1).build());
  }

  @Test
  void wireMapIsCanonicalAndReadOnly() {
    Map<String, Object> m = b().orderByChild("s").startAt(1).limitToFirst(1).build().toWire();
    assertThat(m).containsExactly(Map.entry("i", "s"), Map.entry("sp", 1L), Map.entry("l", 1), Map.entry("vf", "l"));
    assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- the SDK's validation ----

  @Test
  void oneOrderByOnly() {
    rejects(() -> b().orderByKey().orderByValue(), "orderByValue: You can't combine multiple orderBy calls.");
    rejects(() -> b().orderByChild("a").orderByChild("b"), "orderByChild: You can't combine multiple orderBy calls.");
    rejects(() -> b().orderByChild("$key"), "orderByChild: \"$key\" is invalid.  Use orderByKey() instead.");
    rejects(() -> b().orderByChild("$value"), "orderByChild: \"$value\" is invalid.  Use orderByValue() instead.");
    rejects(() -> b().orderByChild(""), "orderByChild: cannot pass in empty path. Use orderByValue() instead.");
    assertThatThrownBy(() -> b().orderByChild("a.b")).isInstanceOf(CanopyException.class)
        .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
  }

  @Test
  void boundsOnlyOnce() {
    // the JS SDK's texts, quirks included
    rejects(() -> b().startAt(1).startAfter(2),
        "startAfter: Starting point was already set (by another call to startAt, startAfter, or equalTo).");
    rejects(() -> b().startAfter(1).startAt(2),
        "startAt: Starting point was already set (by another call to startAt, startBefore or equalTo).");
    rejects(() -> b().endAt(1).endBefore(2),
        "endBefore: Starting point was already set (by another call to endAt, endBefore or equalTo).");
    rejects(() -> b().endBefore(1).endAt(2),
        "endAt: Starting point was already set (by another call to endAt, endBefore or equalTo).");
    rejects(() -> b().startAt(1).equalTo(2),
        "equalTo: Starting point was already set (by another call to startAt/startAfter or equalTo).");
    rejects(() -> b().endAt(1).equalTo(2),
        "equalTo: Ending point was already set (by another call to endAt/endBefore or equalTo).");
    rejects(() -> b().equalTo(1).startAt(2),
        "startAt: Starting point was already set (by another call to startAt, startBefore or equalTo).");
  }

  @Test
  void limitsArePositiveAndSingle() {
    rejects(() -> b().limitToFirst(0), "limitToFirst: First argument must be a positive integer.");
    rejects(() -> b().limitToLast(-1), "limitToLast: First argument must be a positive integer.");
    rejects(() -> b().limitToFirst(1).limitToLast(1),
        "limitToLast: Limit was already set (by another call to limitToFirst or limitToLast).");
  }

  @Test
  void keyIndexTakesOneStringArgument() {
    rejects(() -> b().orderByKey().startAt("a", "b").build(),
        "Query: When ordering by key, you may only pass one argument to startAt(), endAt(), or equalTo().");
    rejects(() -> b().orderByKey().startAt(1).build(),
        "Query: When ordering by key, the argument passed to startAt(), startAfter(), endAt(), endBefore(), or "
            + "equalTo() must be a string.");
    rejects(() -> b().orderByKey().endBefore(null).build(),
        "Query: When ordering by key, the argument passed to startAt(), startAfter(), endAt(), endBefore(), or "
            + "equalTo() must be a string.");
  }

  @Test
  void priorityBoundsArePriorities() {
    rejects(() -> b().orderByPriority().equalTo(true).build(),
        "Query: When ordering by priority, the first argument passed to startAt(), startAfter() endAt(), "
            + "endBefore(), or equalTo() must be a valid priority value (null, a number, or a string).");
    assertThat(b().startAt(null).endAt("z").build().start().value()).isNull();
  }

  @Test
  void boundsArePrimitives() {
    rejects(() -> b().orderByChild("s").startAt(Map.of("a", 1)),
        "Query: First argument passed to startAt(), startAfter(), endAt(), endBefore(), or equalTo() cannot be an "
            + "object.");
    assertThatThrownBy(() -> b().orderByChild("s").startAt(Double.NaN)).isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> b().orderByChild("s").endAt(Double.POSITIVE_INFINITY))
        .isInstanceOf(CanopyException.class);
    assertThatThrownBy(() -> b().orderByChild("s").startAt(1, "a/b")).isInstanceOf(CanopyException.class);
  }
}
