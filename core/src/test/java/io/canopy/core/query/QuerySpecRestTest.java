package io.canopy.core.query;

import static io.canopy.core.query.TestTrees.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REST query parameters ({@code orderBy, startAt, endAt, equalTo, limitToFirst, limitToLast}). */
class QuerySpecRestTest {

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static QuerySpec rest(String... kv) {
    return QuerySpec.fromRest(params(kv));
  }

  private static void rejects(String message, String... kv) {
    assertThatThrownBy(() -> rest(kv))
        .isInstanceOf(CanopyException.class)
        .hasMessage(message)
        .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
  }

  @Test
  void noParametersIsTheDefaultQuery() {
    assertThat(rest()).isEqualTo(QuerySpec.DEFAULT);
    assertThat(rest("print", "pretty", "auth", "x", "format", "export", "shallow", "true"))
        .isEqualTo(QuerySpec.DEFAULT);
  }

  @Test
  void orderByNames() {
    assertThat(rest("orderBy", "\"$key\"").index()).isSameAs(QueryIndex.KEY);
    assertThat(rest("orderBy", "\"$value\"").index()).isSameAs(QueryIndex.VALUE);
    assertThat(rest("orderBy", "\"$priority\"").index()).isSameAs(QueryIndex.PRIORITY);
    assertThat(rest("orderBy", "\"height\"").index()).isEqualTo(QueryIndex.child("height"));
    assertThat(rest("orderBy", "\"dimensions/height\"").index()).isEqualTo(QueryIndex.child("dimensions/height"));
    assertThat(rest("orderBy", "\"$key\"").isDefault()).isTrue();
  }

  @Test
  void boundsAreInclusiveWithoutNames() {
    QuerySpec q = rest("orderBy", "\"height\"", "startAt", "3", "endAt", "\"x\"");
    assertThat(q.start()).isEqualTo(new QuerySpec.Bound(3.0, KeyOrder.MIN_NAME, true));
    assertThat(q.end()).isEqualTo(new QuerySpec.Bound("x", KeyOrder.MAX_NAME, true));
    QuerySpec eq = rest("orderBy", "\"height\"", "equalTo", "true");
    assertThat(eq.start()).isEqualTo(new QuerySpec.Bound(true, KeyOrder.MIN_NAME, true));
    assertThat(eq.end()).isEqualTo(new QuerySpec.Bound(true, KeyOrder.MAX_NAME, true));
    assertThat(rest("orderBy", "\"h\"", "equalTo", "null").start().value()).isNull();
    assertThat(rest("orderBy", "\"$key\"", "startAt", "\"a\"", "endAt", "\"b\"").end().value()).isEqualTo("b");
  }

  @Test
  void limits() {
    QuerySpec first = rest("orderBy", "\"$key\"", "limitToFirst", "2");
    assertThat(first.limit()).isEqualTo(2);
    assertThat(first.viewFrom()).isEqualTo(QuerySpec.ViewFrom.LEFT);
    QuerySpec last = rest("orderBy", "\"$key\"", "limitToLast", "3");
    assertThat(last.limit()).isEqualTo(3);
    assertThat(last.viewFrom()).isEqualTo(QuerySpec.ViewFrom.RIGHT);
    assertThat(rest("orderBy", "\"$key\"", "limitToLast", "99999999999").limit()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void restQueriesEvaluate() {
    Node dinos = json("{'a':{'height':4},'b':{'height':2},'c':{'height':'x'},'d':{'height':3},'e':{}}");
    QuerySpec q = rest("orderBy", "\"height\"", "startAt", "3", "limitToFirst", "5");
    assertThat(QueryEngine.orderedKeys(q, dinos)).containsExactly("d", "a", "c");
    QuerySpec eq = rest("orderBy", "\"height\"", "equalTo", "2");
    assertThat(QueryEngine.orderedKeys(eq, dinos)).containsExactly("b");
    QuerySpec keys = rest("orderBy", "\"$key\"", "startAt", "\"b\"", "endAt", "\"c\"");
    assertThat(QueryEngine.orderedKeys(keys, dinos)).containsExactly("b", "c");
  }

  @Test
  void filtersNeedAnOrderBy() {
    String m = "orderBy must be defined when other query parameters are defined";
    rejects(m, "limitToFirst", "10");
    rejects(m, "limitToLast", "1");
    rejects(m, "startAt", "1");
    rejects(m, "endAt", "1");
    rejects(m, "equalTo", "1");
    rejects(m, "equalTo", "1", "print", "pretty");
  }

  @Test
  void badOrderBy() {
    String m = "orderBy must be a valid JSON encoded path";
    rejects(m, "orderBy", "height"); // not quoted
    rejects(m, "orderBy", "%22height%22"); // encoded twice
    rejects(m, "orderBy", "5");
    rejects(m, "orderBy", "null");
    rejects(m, "orderBy", "\"\"");
    rejects(m, "orderBy", "\"$other\"");
    rejects(m, "orderBy", "\"a.b\"");
    rejects(m, "orderBy", "\"a\" x");
  }

  @Test
  void badBounds() {
    String m = "Constraint index field must be a JSON primitive";
    rejects(m, "orderBy", "\"h\"", "startAt", "abc"); // unquoted string
    rejects(m, "orderBy", "\"h\"", "endAt", "{\"a\":1}");
    rejects(m, "orderBy", "\"h\"", "equalTo", "[1]");
    rejects(m, "orderBy", "\"h\"", "startAt", "");
    rejects(m, "orderBy", "\"h\"", "startAt", "1 2");
  }

  @Test
  void keyBoundsMustBeStrings() {
    String m = "Provided key index type is invalid, must be string";
    rejects(m, "orderBy", "\"$key\"", "startAt", "0");
    rejects(m, "orderBy", "\"$key\"", "endAt", "true");
    rejects(m, "orderBy", "\"$key\"", "equalTo", "null");
  }

  @Test
  void limitsMustBePositiveIntegersAndExclusive() {
    rejects("limitToFirst and limitToLast cannot both be defined",
        "orderBy", "\"$key\"", "limitToFirst", "1", "limitToLast", "1");
    rejects("limitToFirst must be a positive integer", "orderBy", "\"$key\"", "limitToFirst", "0");
    rejects("limitToFirst must be a positive integer", "orderBy", "\"$key\"", "limitToFirst", "-3");
    rejects("limitToLast must be a positive integer", "orderBy", "\"$key\"", "limitToLast", "1.5");
    rejects("limitToLast must be a positive integer", "orderBy", "\"$key\"", "limitToLast", "\"2\"");
    rejects("limitToLast must be a positive integer", "orderBy", "\"$key\"", "limitToLast", "two");
  }

  @Test
  void equalToExcludesStartAndEnd() {
    rejects("equalTo cannot be combined with startAt or endAt",
        "orderBy", "\"h\"", "equalTo", "1", "startAt", "0");
    rejects("equalTo cannot be combined with startAt or endAt",
        "orderBy", "\"h\"", "equalTo", "1", "endAt", "2");
  }
}
