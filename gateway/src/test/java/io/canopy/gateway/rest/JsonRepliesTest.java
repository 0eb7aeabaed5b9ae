package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRepliesTest {
  private static final Node WITH_PRIORITY = TreeJson.parse("{\"a\":{\".value\":1,\".priority\":2},\"b\":true}");
  private static final Node SCORES = TreeJson.parse(
      "{\"ann\":{\"score\":30},\"bob\":{\"score\":10},\"cy\":{\"score\":20},\"dee\":{\"x\":1}}");

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static RestParams params(String... pairs) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return RestParams.parse(m::get);
  }

  private static String read(Node value, RestParams params) {
    return JsonReplies.read(value, params, Long.MAX_VALUE).toString(StandardCharsets.UTF_8);
  }

  @Test
  void prioritiesOnlyInExportFormat() {
    assertThat(str(JsonReplies.value(WITH_PRIORITY, RestParams.DEFAULTS))).isEqualTo("{\"a\":1,\"b\":true}");
    RestParams export = params("format", "export");
    assertThat(str(JsonReplies.value(WITH_PRIORITY, export)))
        .isEqualTo("{\"a\":{\".value\":1,\".priority\":2},\"b\":true}");
    assertThat(read(WITH_PRIORITY, export)).isEqualTo("{\"a\":{\".value\":1,\".priority\":2},\"b\":true}");
  }

  @Test
  void prettyIndents() {
    assertThat(str(JsonReplies.value(WITH_PRIORITY, params("print", "pretty")))).contains("\n").contains("\"a\" : 1");
    assertThat(read(WITH_PRIORITY, params("print", "pretty"))).contains("\n");
  }

  @Test
  void emptyIsNull() {
    assertThat(str(JsonReplies.value(Node.empty(), RestParams.DEFAULTS))).isEqualTo("null");
    assertThat(read(Node.empty(), RestParams.DEFAULTS)).isEqualTo("null");
  }

  @Test
  void shallowMapsChildrenToTrue() {
    assertThat(TreeJson.write(JsonReplies.shallow(TreeJson.parse("{\"a\":{\"x\":1},\"b\":2}")), false))
        .isEqualTo("{\"a\":true,\"b\":true}");
    assertThat(TreeJson.write(JsonReplies.shallow(TreeJson.parse("\"leaf\"")), false)).isEqualTo("\"leaf\"");
    assertThat(read(TreeJson.parse("{\"a\":{\"x\":1},\"b\":2}"), params("shallow", "true")))
        .isEqualTo("{\"a\":true,\"b\":true}");
  }

  @Test
  void queryResultsAreFilteredAndInQueryOrder() {
    assertThat(read(SCORES, params("orderBy", "\"score\"", "limitToFirst", "2")))
        .isEqualTo("{\"dee\":{\"x\":1},\"bob\":{\"score\":10}}");
    assertThat(read(SCORES, params("orderBy", "\"score\"", "startAt", "15")))
        .isEqualTo("{\"cy\":{\"score\":20},\"ann\":{\"score\":30}}");
    assertThat(read(SCORES, params("orderBy", "\"score\"", "limitToLast", "2")))
        .isEqualTo("{\"cy\":{\"score\":20},\"ann\":{\"score\":30}}");
    assertThat(read(SCORES, params("orderBy", "\"$key\"", "startAt", "\"bob\"", "endAt", "\"cy\"")))
        .isEqualTo("{\"bob\":{\"score\":10},\"cy\":{\"score\":20}}");
    // orderBy alone returns everything, in index order
    assertThat(read(SCORES, params("orderBy", "\"score\"")))
        .isEqualTo("{\"dee\":{\"x\":1},\"bob\":{\"score\":10},\"cy\":{\"score\":20},\"ann\":{\"score\":30}}");
    assertThat(read(SCORES, params("orderBy", "\"score\"", "equalTo", "99"))).isEqualTo("null");
    // a filtered query on a leaf is empty; orderBy alone leaves it as it is
    assertThat(read(TreeJson.parse("5"), params("orderBy", "\"$value\"", "limitToFirst", "1"))).isEqualTo("null");
    assertThat(read(TreeJson.parse("5"), params("orderBy", "\"$value\""))).isEqualTo("5");
  }

  @Test
  void readValueIsTheQueryResult() {
    Node result = JsonReplies.readValue(SCORES, params("orderBy", "\"score\"", "limitToFirst", "1"));
    assertThat(TreeJson.write(result, false)).isEqualTo("{\"dee\":{\"x\":1}}");
    assertThat(JsonReplies.readValue(SCORES, RestParams.DEFAULTS)).isSameAs(SCORES);
  }

  @Test
  void readsOverTheLimitFailWithFirebasesMessage() {
    assertThatThrownBy(() -> JsonReplies.read(SCORES, RestParams.DEFAULTS, 20))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
        .hasMessage(JsonReplies.READ_TOO_LARGE);
  }

  @Test
  void pushName() {
    assertThat(str(JsonReplies.pushName("-Nabc", RestParams.DEFAULTS))).isEqualTo("{\"name\":\"-Nabc\"}");
  }
}
