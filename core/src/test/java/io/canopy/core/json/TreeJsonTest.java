package io.canopy.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeJsonTest {
  private static Node parse(String json) {
    return TreeJson.parse(json);
  }

  private static String plain(String json) {
    return TreeJson.write(parse(json), false);
  }

  private static String export(String json) {
    return TreeJson.write(parse(json), true);
  }

  private static void assertInvalidData(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOf(CanopyException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_DATA));
  }

  // ---- round trips ----

  @ParameterizedTest
  @ValueSource(strings = {
      "\"hello\"", "\"\"", "true", "false", "0", "1", "-1", "1.5", "-2.5", "{\"a\":1}",
      "{\"a\":{\"b\":{\"c\":\"d\"}},\"e\":[1]}", "{\"9\":1,\"10\":2,\"a\":3,\"b\":4}",
      "\"\\u00fcn\\u00efc\\u00f8d\\u00e9 \\u2714 \\ud83d\\udc35\"", "\"quote\\\" backslash\\\\ newline\\n\"",
      "{\"x\":{\"y\":true,\".priority\":1},\".priority\":\"p\"}", "{\".value\":1,\".priority\":2}",
      "{\"a\":{\".sv\":\"timestamp\"}}", "{\"a\":{\".sv\":{\"increment\":-2}}}"})
  void roundTripsThroughExportFormat(String json) {
    Node n = parse(json);
    String out = TreeJson.write(n, true);
    assertThat(parse(out)).isEqualTo(n);
    assertThat(TreeJson.write(parse(out), true)).isEqualTo(out); // stable
    // Bytes and streams carry the same value (the UTF-8 generator may escape astral characters as \\uXXXX
    // surrogate pairs where the String writer keeps them raw).
    byte[] bytes = TreeJson.writeBytes(n, true);
    assertThat(TreeJson.parse(bytes)).isEqualTo(n);
    assertThat(TreeJson.parse(out.getBytes(StandardCharsets.UTF_8))).isEqualTo(n);
    assertThat(TreeJson.parse(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)))).isEqualTo(n);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    TreeJson.write(n, bos, true);
    assertThat(bos.toByteArray()).isEqualTo(bytes);
  }

  @Test
  void writesChildrenInKeyOrder() {
    assertThat(plain("{\"b\":1,\"a\":2,\"10\":3,\"9\":4}")).isEqualTo("{\"9\":4,\"10\":3,\"a\":2,\"b\":1}");
  }

  // ---- data model ----

  @Test
  void arraysBecomeIntegerKeyedObjects() {
    Node n = parse("[\"a\",\"b\",[true]]");
    assertThat(n).isEqualTo(parse("{\"0\":\"a\",\"1\":\"b\",\"2\":{\"0\":true}}"));
    assertThat(TreeJson.write(n, true)).isEqualTo("{\"0\":\"a\",\"1\":\"b\",\"2\":{\"0\":true}}");
    // Plain values read back as arrays, as Firebase renders them (see TreeJsonArraysTest).
    assertThat(TreeJson.write(n, false)).isEqualTo("[\"a\",\"b\",[true]]");
    // Nulls keep the indexes of the other elements; an array of nulls is empty.
    assertThat(TreeJson.write(parse("[1,null,3]"), true)).isEqualTo("{\"0\":1,\"2\":3}");
    assertThat(plain("[1,null,3]")).isEqualTo("[1,null,3]");
    assertThat(parse("[null,{},[]]").isEmpty()).isTrue();
    assertThat(parse("[]").isEmpty()).isTrue();
    assertThat(parse("{\"a\":[]}").isEmpty()).isTrue();
    List<String> keys = new java.util.ArrayList<>();
    parse("[0,1,2,3,4,5,6,7,8,9,10,11]").forEachChild((k, v) -> keys.add(k));
    assertThat(keys).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
  }

  @Test
  void nullsAndEmptyObjectsVanish() {
    assertThat(parse("null")).isSameAs(Node.empty());
    assertThat(parse("{}")).isSameAs(Node.empty());
    assertThat(parse("{\"a\":null,\"b\":{},\"c\":{\"d\":{}}}")).isSameAs(Node.empty());
    assertThat(plain("{\"a\":null,\"b\":1,\"c\":{\"d\":null}}")).isEqualTo("{\"b\":1}");
    assertThat(TreeJson.write(Node.empty(), false)).isEqualTo("null");
    assertThat(TreeJson.write(Node.empty(), true)).isEqualTo("null");
    // A priority on something empty is dropped with it.
    assertThat(parse("{\".priority\":1}")).isSameAs(Node.empty());
    assertThat(parse("{\".value\":null,\".priority\":1}")).isSameAs(Node.empty());
    assertThat(parse("{\"a\":{},\".priority\":1}")).isSameAs(Node.empty());
  }

  @Test
  void exportFormat() {
    Node n = parse("{\"a\":{\".value\":1,\".priority\":2},\"b\":{\"c\":true,\".priority\":\"p\"},\"d\":\"x\","
        + "\".priority\":3}");
    assertThat(n.priority()).isEqualTo(3.0);
    assertThat(n.get(Path.parse("a"))).isEqualTo(LeafNode.of(1, 2));
    assertThat(n.get(Path.parse("b")).priority()).isEqualTo("p");
    assertThat(TreeJson.write(n, true)).isEqualTo(
        "{\"a\":{\".value\":1,\".priority\":2},\"b\":{\"c\":true,\".priority\":\"p\"},\"d\":\"x\",\".priority\":3}");
    assertThat(TreeJson.write(n, false)).isEqualTo("{\"a\":1,\"b\":{\"c\":true},\"d\":\"x\"}");
    assertThat(TreeJson.write(LeafNode.of("v", 1.5), true)).isEqualTo("{\".value\":\"v\",\".priority\":1.5}");
    assertThat(TreeJson.write(LeafNode.of("v", 1.5), false)).isEqualTo("\"v\"");
    // .value alone is the plain value; a null .priority is no priority.
    assertThat(parse("{\".value\":\"v\"}")).isEqualTo(LeafNode.of("v"));
    assertThat(parse("{\".value\":\"v\",\".priority\":null}")).isEqualTo(LeafNode.of("v"));
    assertThat(parse("{\".priority\":\"p\",\".value\":5}")).isEqualTo(LeafNode.of(5, "p"));
  }

  @Test
  void duplicateKeysLastWins() {
    assertThat(plain("{\"a\":1,\"a\":2}")).isEqualTo("{\"a\":2}");
    assertThat(plain("{\"a\":1,\"b\":3,\"a\":null}")).isEqualTo("{\"b\":3}");
    assertThat(parse("{\"a\":1,\"a\":{}}")).isSameAs(Node.empty());
  }

  @Test
  void otherDotKeysAreDropped() {
    assertThat(plain("{\"a\":1,\".foo\":{\"x\":[1,2]},\".indexOn\":\"y\",\".\":3}")).isEqualTo("{\"a\":1}");
    assertThat(parse("{\".foo\":1}").isEmpty()).isTrue();
  }

  @Test
  void dotValueRules() {
    assertInvalidData(() -> parse("{\".value\":{\"a\":1}}"), ".value");
    assertInvalidData(() -> parse("{\".value\":1,\"a\":2}"), ".value");
    assertInvalidData(() -> parse("{\"a\":2,\".value\":1}"), ".value");
  }

  @Test
  void badPriorities() {
    assertInvalidData(() -> parse("{\".value\":1,\".priority\":true}"), ".priority");
    assertInvalidData(() -> parse("{\".value\":1,\".priority\":[1]}"), ".priority");
    assertInvalidData(() -> parse("{\".value\":1,\".priority\":{\"a\":1}}"), ".priority");
  }

  // ---- server values ----

  @Test
  void serverValuesParseAndWriteBack() {
    Node ts = parse("{\".sv\":\"timestamp\"}");
    assertThat(ts).isEqualTo(LeafNode.of(ServerValue.TIMESTAMP));
    assertThat(TreeJson.write(ts, false)).isEqualTo("{\".sv\":\"timestamp\"}");
    Node inc = parse("{\"n\":{\".sv\":{\"increment\":1.5}}}");
    assertThat(inc.child("n")).isEqualTo(LeafNode.of(new ServerValue.Increment(1.5)));
    assertThat(TreeJson.write(inc, false)).isEqualTo("{\"n\":{\".sv\":{\"increment\":1.5}}}");
    assertThat(TreeJson.write(parse("{\".sv\":{\"increment\":5.0}}"), false))
        .isEqualTo("{\".sv\":{\"increment\":5}}");
    // As a priority, and a server value with a priority.
    Node pri = parse("{\"a\":1,\".priority\":{\".sv\":\"timestamp\"}}");
    assertThat(pri.priority()).isEqualTo(ServerValue.TIMESTAMP);
    assertThat(TreeJson.write(pri, true)).isEqualTo("{\"a\":1,\".priority\":{\".sv\":\"timestamp\"}}");
    Node svPri = parse("{\".sv\":\"timestamp\",\".priority\":4}");
    assertThat(svPri).isEqualTo(LeafNode.of(ServerValue.TIMESTAMP, 4));
    assertThat(TreeJson.write(svPri, true)).isEqualTo("{\".value\":{\".sv\":\"timestamp\"},\".priority\":4}");
    assertThat(parse(TreeJson.write(svPri, true))).isEqualTo(svPri);
  }

  @Test
  void badServerValues() {
    assertInvalidData(() -> parse("{\".sv\":\"now\"}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":{}}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":{\"increment\":\"1\"}}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":{\"increment\":1,\"x\":2}}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":{\"decrement\":1}}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":5}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":\"timestamp\",\"a\":1}"), ".sv");
    assertInvalidData(() -> parse("{\"a\":1,\".sv\":\"timestamp\"}"), ".sv");
    assertInvalidData(() -> parse("{\".sv\":\"timestamp\",\".value\":1}"), ".sv");
  }

  /**
   * BUG (reported): a non-finite increment is accepted ({@code 1e400} parses to Infinity) although non-finite
   * numbers are rejected everywhere else; writing it back then produces {@code "Infinity"}.
   */
  @Test
  void nonFiniteIncrementIsRejected() {
    assertInvalidData(() -> parse("{\".sv\":{\"increment\":1e400}}"), "");
  }

  // ---- keys ----

  @Test
  void invalidKeysAreRejectedWithAClearMessage() {
    for (String bad : List.of("a$b", "a#b", "a[b", "a]b", "a/b", "a.b")) {
      String json = "{\"ok\":{\"" + bad + "\":1}}";
      assertInvalidData(() -> parse(json), "key \"" + bad + "\"");
      assertInvalidData(() -> parse(json), "keys can't contain");
    }
    assertInvalidData(() -> parse("{\"a\\u0001\":1}"), "control characters");
    assertInvalidData(() -> parse("{\"\":1}"), "non-empty");
    assertInvalidData(() -> parse("{\"" + "x".repeat(769) + "\":1}"), "768 bytes");
    assertThat(parse("{\"" + "x".repeat(768) + "\":1}").childCount()).isEqualTo(1);
    // Even when the value is null (the key is invalid all the same).
    assertInvalidData(() -> parse("{\"a$\":null}"), "keys can't contain");
  }

  // ---- numbers ----

  @Test
  void integralNumbersPrintWithoutDecimalPoint() {
    assertThat(plain("5.0")).isEqualTo("5");
    assertThat(plain("5")).isEqualTo("5");
    assertThat(plain("-0.0")).isEqualTo("0");
    assertThat(plain("1e3")).isEqualTo("1000");
    assertThat(plain("1.5")).isEqualTo("1.5");
    assertThat(plain("-2.5")).isEqualTo("-2.5");
    assertThat(plain("0.1")).isEqualTo("0.1");
    assertThat(plain("9007199254740992")).isEqualTo("9007199254740992");
    assertThat(plain("9007199254740992.0")).isEqualTo("9007199254740992");
    assertThat(plain("-9007199254740992")).isEqualTo("-9007199254740992");
    // 2^53 + 1 is not a double: it rounds to 2^53.
    assertThat(plain("9007199254740993")).isEqualTo("9007199254740992");
    assertThat(plain("12345678901234568")).isEqualTo("12345678901234568");
    assertThat(plain("1e20")).isEqualTo("100000000000000000000");
    assertThat(plain("{\"a\":{\".value\":2.0,\".priority\":3.0}}")).isEqualTo("{\"a\":2}");
    assertThat(export("{\"a\":{\".value\":2.0,\".priority\":3.0}}"))
        .isEqualTo("{\"a\":{\".value\":2,\".priority\":3}}");
  }

  @Test
  void bigIntegersKeepTheirDoubleValue() {
    // Beyond Long range, printed exactly (no saturation at Long.MAX_VALUE).
    assertThat(plain("9223372036854775807")).isEqualTo("9223372036854775808");
    assertThat(plain("-9223372036854775808")).isEqualTo("-9223372036854775808");
    assertThat(plain("18446744073709551616")).isEqualTo("18446744073709551616");
    String big = plain("123456789012345678901234567890");
    assertThat(Double.parseDouble(big)).isEqualTo(1.2345678901234568e29);
    for (String s : List.of("12345678901234567890", "99999999999999999999", "-4611686018427387904")) {
      assertThat(Double.parseDouble(plain(s))).as(s).isEqualTo(Double.parseDouble(s));
      assertThat(plain(s)).as(s).matches("-?\\d+");
    }
  }

  @Test
  void hugeNumbersUseExponentNotation() {
    String out = plain("1e21");
    assertThat(Double.parseDouble(out)).isEqualTo(1e21);
    assertThat(out).isNotEqualTo("1000000000000000000000").containsIgnoringCase("e");
    assertThat(Double.parseDouble(plain("-1.7976931348623157e308"))).isEqualTo(-Double.MAX_VALUE);
    assertThat(Double.parseDouble(plain("5e-324"))).isEqualTo(Double.MIN_VALUE);
    assertThat(Double.parseDouble(plain("1e-7"))).isEqualTo(1e-7);
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    assertInvalidData(() -> parse("1e400"), "finite");
    assertInvalidData(() -> parse("{\"a\":-1e400}"), "finite");
    assertInvalidData(() -> parse("{\".value\":1,\".priority\":1e999}"), "");
    assertInvalidData(() -> parse("NaN"), "");
    assertInvalidData(() -> parse("Infinity"), "");
  }

  @Test
  void writeNumberDirectly() throws Exception {
    java.io.StringWriter w = new java.io.StringWriter();
    try (var g = TreeJson.factory().createGenerator(w)) {
      g.writeStartArray();
      TreeJson.writeNumber(5.0, g);
      TreeJson.writeNumber(-0.5, g);
      TreeJson.writeNumber(0x1p63, g);
      g.writeEndArray();
    }
    assertThat(w.toString()).isEqualTo("[5,-0.5,9223372036854775808]");
  }

  // ---- invalid JSON ----

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "}", "[1,", "{\"a\":}", "{\"a\" 1}", "{a:1}", "'x'", "tru", "1 2",
      "{\"a\":1} x", "[1]]", "\"unterminated", "01x", "{\"a\":1,}"})
  void invalidJsonGivesInvalidData(String json) {
    assertInvalidData(() -> parse(json), "Invalid data");
    assertInvalidData(() -> TreeJson.parse(json.getBytes(StandardCharsets.UTF_8)), "Invalid data");
    assertInvalidData(() -> TreeJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))),
        "Invalid data");
  }

  @Test
  void deepNestingIsBoundedButGenerous() {
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertThat(parse(deep).isEmpty()).isFalse();
    String tooDeep = "[".repeat(5000) + "]".repeat(5000);
    assertInvalidData(() -> parse(tooDeep), "Invalid data");
  }

  @Test
  void largeStringsParse() {
    String s = "x".repeat(11 * 1024 * 1024);
    Node n = parse("{\"a\":\"" + s + "\"}");
    assertThat(((LeafNode) n.child("a")).value()).isEqualTo(s);
  }

  @Test
  void parseValueFromAnOpenParser() throws Exception {
    try (var p = TreeJson.factory().createParser("{\"d\":{\"x\":[1,2]},\"after\":true}")) {
      p.nextToken(); // START_OBJECT
      p.nextToken(); // FIELD_NAME d
      Node d = TreeJson.parseValue(p, p.nextToken());
      assertThat(d).isEqualTo(parse("{\"x\":{\"0\":1,\"1\":2}}"));
      assertThat(p.nextToken().isStructEnd()).isFalse(); // FIELD_NAME after: the parser sits on d's last token
      assertThat(p.currentName()).isEqualTo("after");
    }
  }

  @Test
  void builtTreesWriteLikeParsedOnes() {
    Node built = ChildrenNode.builder().put("b", LeafNode.of(2)).put("a", LeafNode.of("s", 1)).build();
    assertThat(TreeJson.write(built, true)).isEqualTo("{\"a\":{\".value\":\"s\",\".priority\":1},\"b\":2}");
  }
}
