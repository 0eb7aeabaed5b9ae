package io.canopy.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class NodeHashTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Node json(String json) {
    return TreeJson.parse(json);
  }

  /** SHA-1 + base64 of a text, computed independently of NodeHash. */
  private static String sha1(String text) {
    return sha1(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha1(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- the shared vectors (copied from /work/shared/vectors/hash.json) ----

  @TestFactory
  Stream<DynamicTest> sharedVectors() throws IOException {
    JsonNode root;
    try (InputStream in = NodeHashTest.class.getResourceAsStream("/vectors/hash.json")) {
      assertThat(in).as("vectors/hash.json on the test classpath").isNotNull();
      root = MAPPER.readTree(in);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : root.get("vectors")) {
      String valueJson = MAPPER.writeValueAsString(v.get("value"));
      String expected = v.get("hash").asText();
      tests.add(DynamicTest.dynamicTest(abbreviate(valueJson) + " -> " + expected,
          () -> assertThat(NodeHash.hash(TreeJson.parse(valueJson))).isEqualTo(expected)));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(17);
    return tests.stream();
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  // ---- PROTOCOL §6.2/6.3 ----

  @Test
  void emptyHashesToEmptyString() {
    assertThat(NodeHash.hash(Node.empty())).isEmpty();
    assertThat(NodeHash.hash(json("null"))).isEmpty();
    assertThat(NodeHash.hash(json("{}"))).isEmpty();
    assertThat(NodeHash.hash(json("{\"a\":{},\"b\":null}"))).isEmpty();
    assertThat(NodeHash.hashOf(null)).isEmpty();
  }

  @Test
  void leafTexts() {
    assertThat(NodeHash.hashOf("hello")).isEqualTo(sha1("string:hello")).isEqualTo("z6sRbrNLwbHX5fdjpvsTtWgXUFc=");
    assertThat(NodeHash.hashOf(1)).isEqualTo(sha1("number:3ff0000000000000")).isEqualTo("YPVfR2bXt/lcDjiQZ8pOkAd3qkQ=");
    assertThat(NodeHash.hashOf(1.5)).isEqualTo(sha1("number:3ff8000000000000")).isEqualTo("4MftviR9Z/2MQCMkjh2RNbvlLJc=");
    assertThat(NodeHash.hashOf(true)).isEqualTo(sha1("boolean:true")).isEqualTo("E5z61QM0lN/U2WsOnusszCTkR8M=");
    assertThat(NodeHash.hashOf(false)).isEqualTo(sha1("boolean:false"));
    assertThat(NodeHash.hashOf("")).isEqualTo(sha1("string:"));
    // Strings are raw: no quoting, no escaping.
    assertThat(NodeHash.hashOf("a\"b\\c:d\n")).isEqualTo(sha1("string:a\"b\\c:d\n"));
  }

  @Test
  void integersHashAsDoubles() {
    String one = NodeHash.hashOf(1.0);
    assertThat(NodeHash.hashOf(1)).isEqualTo(one);
    assertThat(NodeHash.hashOf(1L)).isEqualTo(one);
    assertThat(NodeHash.hash(json("1.0"))).isEqualTo(one);
    assertThat(NodeHash.hash(json("1e0"))).isEqualTo(one);
    assertThat(NodeHash.hashOf(12345678901234567L)).isEqualTo(NodeHash.hashOf(12345678901234568.0));
  }

  @Test
  void doubleHex() {
    assertThat(NodeHash.doubleHex(1)).isEqualTo("3ff0000000000000");
    assertThat(NodeHash.doubleHex(0)).isEqualTo("0000000000000000");
    assertThat(NodeHash.doubleHex(-0.0)).isEqualTo("8000000000000000");
    assertThat(NodeHash.doubleHex(2)).isEqualTo("4000000000000000");
    assertThat(NodeHash.doubleHex(5)).isEqualTo("4014000000000000");
    assertThat(NodeHash.doubleHex(-2.5)).isEqualTo("c004000000000000");
    assertThat(NodeHash.doubleHex(Double.MAX_VALUE)).isEqualTo("7fefffffffffffff");
    assertThat(NodeHash.doubleHex(Double.MIN_VALUE)).isEqualTo("0000000000000001");
    // Leaves normalise -0 to 0 (JSON.stringify prints -0 as 0), so both hash alike.
    assertThat(NodeHash.hashOf(-0.0)).isEqualTo(NodeHash.hashOf(0));
  }

  @Test
  void childrenInKeyOrderWithIntegerKeysFirst() {
    Node n = json("{\"b\":2,\"a\":true,\"10\":\"x\",\"9\":\"y\"}");
    assertThat(NodeHash.hashOf("y")).isEqualTo("JbVTIhYSr66j91vTDZkfkIRZgUo=");
    assertThat(NodeHash.hashOf("x")).isEqualTo("OJSeRnP1mf0vTrhq7izmWGPiNx4=");
    assertThat(NodeHash.hashOf(2)).isEqualTo("WtSt2Xo3L0JtPuArzQHofPrZOuU=");
    String text = ":9:JbVTIhYSr66j91vTDZkfkIRZgUo=:10:OJSeRnP1mf0vTrhq7izmWGPiNx4=:a:E5z61QM0lN/U2WsOnusszCTkR8M="
        + ":b:WtSt2Xo3L0JtPuArzQHofPrZOuU=";
    assertThat(NodeHash.hash(n)).isEqualTo(sha1(text)).isEqualTo("CP7y2DtaU1LNKKNfggLhBsG5XI4=");
  }

  @Test
  void prioritiesAndPriorityOrder() {
    Node n = json("{\".priority\":5,\"x\":{\".value\":\"v\",\".priority\":\"p\"},\"y\":1,"
        + "\"z\":{\".value\":0,\".priority\":2}}");
    assertThat(NodeHash.hash(n.child("z")))
        .isEqualTo(sha1("priority:number:4000000000000000:number:0000000000000000"))
        .isEqualTo("765WfXm6Blg9TKbCshlYX2FwboI=");
    assertThat(NodeHash.hash(n.child("x")))
        .isEqualTo(sha1("priority:string:p:string:v"))
        .isEqualTo("R0MIwvHETT8eZK7iUSai21aukVY=");
    String text = "priority:number:4014000000000000::y:YPVfR2bXt/lcDjiQZ8pOkAd3qkQ="
        + ":z:765WfXm6Blg9TKbCshlYX2FwboI=:x:R0MIwvHETT8eZK7iUSai21aukVY=";
    assertThat(NodeHash.hash(n)).isEqualTo(sha1(text)).isEqualTo("KvrAF3CqZCRK1o18+KXL6jIx0go=");
  }

  @Test
  void priorityOrderDetails() {
    // none < numbers ascending (negative, -0 == 0) < strings (UTF-16 order); ties by key order.
    Node n = ChildrenNode.builder()
        .put("s2", LeafNode.of(1, "b"))
        .put("s1", LeafNode.of(1, "B"))
        .put("n3", LeafNode.of(1, 10))
        .put("n1", LeafNode.of(1, -3))
        .put("n2", LeafNode.of(1, 2))
        .put("10", LeafNode.of(1, 2))
        .put("9", LeafNode.of(1, 2))
        .put("z", LeafNode.of(1))
        .put("a", LeafNode.of(1))
        .put("s0", LeafNode.of(1, "10"))
        .put("s00", LeafNode.of(1, "9"))
        .build();
    String[] expectedOrder = {"a", "z", "n1", "9", "10", "n2", "n3", "s0", "s00", "s1", "s2"};
    StringBuilder text = new StringBuilder();
    for (String k : expectedOrder) {
      text.append(':').append(k).append(':').append(NodeHash.hash(n.child(k)));
    }
    assertThat(NodeHash.hash(n)).isEqualTo(sha1(text.toString()));
  }

  @Test
  void objectPriorityProducesDoubleColon() {
    Node n = json("{\"k\":\"v\",\".priority\":\"x\"}");
    assertThat(NodeHash.hash(n)).isEqualTo(sha1("priority:string:x::k:" + NodeHash.hashOf("v")));
  }

  @Test
  void sdkRegressionVectors() {
    Node n = json("{\"intNode\":4,\"doubleNode\":4.5623,\"stringNode\":\"hey guys\",\"boolNode\":true}");
    assertThat(NodeHash.hash(n.child("intNode"))).isEqualTo("eVih19a6ZDz3NL32uVBtg9KSgQY=");
    assertThat(NodeHash.hash(n.child("doubleNode"))).isEqualTo("vf1CL0tIRwXXunHcG/irRECk3lY=");
    assertThat(NodeHash.hash(n.child("stringNode"))).isEqualTo("CUNLXWpCVoJE6z7z1vE57lGaKAU=");
    assertThat(NodeHash.hash(n.child("boolNode"))).isEqualTo("E5z61QM0lN/U2WsOnusszCTkR8M=");
    assertThat(NodeHash.hash(n)).isEqualTo("6Mc4jFmNdrLVIlJJjz2/MakTK9I=");

    assertThat(NodeHash.hash(json("{\"root\":{\"c\":{\".value\":99,\".priority\":\"abc\"},\".priority\":\"def\"}}")))
        .isEqualTo("Fm6tzN4CVEu5WxFDZUdTtqbTVaA=");
    assertThat(NodeHash.hash(json("{\"root\":{\"c\":{\".value\":99,\".priority\":42},\".priority\":3.14}}")))
        .isEqualTo("B15QCqrzCxrI5zz1y00arWqFRFg=");
  }

  /** The SDKs' "Node.hash() stress..." case: extreme doubles, astral/combining characters, unicode keys. */
  @Test
  void sdkStressVector() {
    String c = "unicode \u2714 \uD83D\uDC35 \uD83C\uDF34 x\u0362";
    Node n = ChildrenNode.builder()
        .put("a", LeafNode.of(-1.7976931348623157e308))
        .put("b", LeafNode.of(1.7976931348623157e308))
        .put("c", LeafNode.of(c))
        .put("d", LeafNode.of(3.1415926535897932384626433832795))
        .put("e", LeafNode.of(12345678901234568.0, "\uD83D\uDC35"))
        .put("\u2714", LeafNode.of("foo"))
        .priority("\u2714")
        .build();
    assertThat(NodeHash.hash(n.child("a"))).isEqualTo("7HxgOBDEC92uQwhCuuvKA2rbXDA=");
    assertThat(NodeHash.hash(n.child("b"))).isEqualTo("8R+ekVQmxs6ZWP0fdzFHxVeGnWo=");
    assertThat(NodeHash.hash(n.child("c"))).isEqualTo("JoKoFUnbmg3/DlY70KaDWslfYPk=");
    assertThat(NodeHash.hash(n.child("d"))).isEqualTo("Y41iC5+92GIqXfabOm33EanRI8s=");
    assertThat(NodeHash.hash(n.child("e"))).isEqualTo("+E+Mxlqh5MhT+On05bjsZ6JaaxI=");
    assertThat(NodeHash.hash(n.child("\u2714"))).isEqualTo("MRRL/+aA/uibaL//jghUpxXS/uY=");
    assertThat(NodeHash.hash(n)).isEqualTo("CyC0OU8GSkOAKnsPjheWtWC0Yxo=");

    // The same tree through the JSON codec.
    Node parsed = json("{\"a\":-1.7976931348623157e308,\"b\":1.7976931348623157e308,\"c\":\"" + c + "\","
        + "\"d\":3.1415926535897932384626433832795,"
        + "\"e\":{\".value\":12345678901234568,\".priority\":\"\uD83D\uDC35\"},"
        + "\"\u2714\":\"foo\",\".priority\":\"\u2714\"}");
    assertThat(parsed).isEqualTo(n);
    assertThat(NodeHash.hash(parsed)).isEqualTo("CyC0OU8GSkOAKnsPjheWtWC0Yxo=");
  }

  @Test
  void counterTransactionHashes() {
    assertThat(NodeHash.hashOf(0)).isEqualTo("7ysMph9WPitGP7poMnMHMVPtUlI=");
    assertThat(NodeHash.hash(json("{\"count\":0}")))
        .isEqualTo(sha1(":count:7ysMph9WPitGP7poMnMHMVPtUlI="))
        .isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    assertThat(NodeHash.hash(json("{\"count\":1}"))).isEqualTo("4Vp/3mz7MQ0p8KcX9PIGz7sHIj0=");
    assertThat(NodeHash.hash(json("[\"a\",\"b\"]"))).isEqualTo("9pd8bwzSKh8DgCCY40kglZj3SLU=");
  }

  @Test
  void hashIsAlways28Base64Chars() {
    for (String j : List.of("1", "\"\"", "true", "{\"a\":1}", "{\"a\":{\"b\":{\".value\":1,\".priority\":1}}}")) {
      assertThat(NodeHash.hash(json(j))).hasSize(NodeHash.HASH_LENGTH).matches("[A-Za-z0-9+/]{27}=");
    }
  }

  @Test
  void nodesThatDifferOnlyInPriorityHashDifferently() {
    Node plain = json("{\"a\":1}");
    assertThat(NodeHash.hash(plain.withPriority(1.0))).isNotEqualTo(NodeHash.hash(plain));
    assertThat(NodeHash.hash(plain.withPriority("1"))).isNotEqualTo(NodeHash.hash(plain.withPriority(1.0)));
    Node set = plain.set(Path.parseWrite("a/.priority"), LeafNode.of("p"));
    assertThat(NodeHash.hash(set)).isEqualTo(NodeHash.hash(json("{\"a\":{\".value\":1,\".priority\":\"p\"}}")));
  }

  @Test
  void unicodeIsHashedAsUtf8() {
    String s = "\u00fcn\u00efc\u00f8d\u00e9 \u2714 \uD83D\uDC35";
    assertThat(NodeHash.hashOf(s)).isEqualTo(sha1("string:" + s));
    assertThat(NodeHash.hash(json("{\"\u00fc\":1}"))).isEqualTo(sha1(":\u00fc:" + NodeHash.hashOf(1)));
    // A string longer than the internal encoding buffer, mixing 1- to 4-byte characters.
    String big = "a\u00e9\u20ac\uD83D\uDE00".repeat(2000);
    assertThat(NodeHash.hashOf(big)).isEqualTo(sha1("string:" + big));
  }

  @Test
  void loneSurrogatesAreEncodedAsThreeBytes() {
    // The JS SDK's UTF-8 encoder writes a lone trailing surrogate as its own 3-byte sequence.
    byte[] text = {'s', 't', 'r', 'i', 'n', 'g', ':', (byte) 0xed, (byte) 0xb0, (byte) 0x80};
    assertThat(NodeHash.hashOf("\uDC00")).isEqualTo(sha1(text));
  }

  @Test
  void serverValuesCannotBeHashed() {
    assertThatThrownBy(() -> NodeHash.hash(LeafNode.of(ServerValue.TIMESTAMP)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeHash.hash(json("{\"a\":{\".sv\":{\"increment\":1}}}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeHash.hash(LeafNode.of(1, ServerValue.TIMESTAMP)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** NodeHash streams bytes into digests; check it against a naive String-building reference on random trees. */
  @Test
  void matchesNaiveReferenceOnRandomTrees() {
    Random rnd = new Random(42);
    for (int i = 0; i < 300; i++) {
      Node n = randomNode(rnd, 0);
      assertThat(NodeHash.hash(n)).as("tree %s", n).isEqualTo(reference(n));
    }
  }

  @Test
  void bigAndDeepTreesAreFast() {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i = 0; i < 50_000; i++) {
      b.put("k" + i, LeafNode.of(i, i % 3 == 0 ? null : (Object) (double) (i % 7)));
    }
    Node wide = b.build();
    Node deep = LeafNode.of("bottom");
    for (int i = 0; i < 500; i++) {
      deep = ChildrenNode.builder().put("d", deep).put("x", LeafNode.of(i)).build();
    }
    long t0 = System.nanoTime();
    String wideHash = NodeHash.hash(wide);
    String deepHash = NodeHash.hash(deep);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("hashed 50k children + 500 levels in " + ms + " ms");
    assertThat(ms).as("ms").isLessThan(5_000);
    assertThat(wideHash).isEqualTo(reference(wide));
    assertThat(deepHash).isEqualTo(reference(deep));
  }

  private static final String[] KEYS = {"a", "b", "A", "_", "~", "0", "1", "9", "10", "01", "-1", "00", "-0",
      "2147483648", "\u00fc", "\uD83D\uDE00", "a b", "key"};
  private static final Object[] PRIORITIES = {null, null, null, 1.0, -1.0, 2.5, 0.0, -0.0, "a", "B", "", "10", "9"};

  private static Node randomNode(Random rnd, int depth) {
    Object priority = PRIORITIES[rnd.nextInt(PRIORITIES.length)];
    if (depth >= 4 || rnd.nextInt(3) == 0) {
      Object v = switch (rnd.nextInt(5)) {
        case 0 -> rnd.nextBoolean();
        case 1 -> (double) rnd.nextInt(100) - 50;
        case 2 -> rnd.nextDouble() * 1e300 * (rnd.nextBoolean() ? 1 : -1);
        case 3 -> KEYS[rnd.nextInt(KEYS.length)] + ":" + rnd.nextInt(5);
        default -> "";
      };
      return LeafNode.of(v, priority);
    }
    ChildrenNode.Builder b = ChildrenNode.builder();
    int n = 1 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      b.put(KEYS[rnd.nextInt(KEYS.length)], randomNode(rnd, depth + 1));
    }
    return b.build().withPriority(priority);
  }

  /** PROTOCOL §6.2 written as plainly as possible. */
  private static String reference(Node node) {
    if (node.isEmpty()) {
      return "";
    }
    String text = "";
    if (node.priority() != null) {
      text += "priority:" + typed(node.priority()) + ":";
    }
    if (node instanceof LeafNode leaf) {
      text += typed(leaf.value());
    } else {
      record Child(String key, Node node) {}
      List<Child> children = new ArrayList<>();
      node.forEachChild((k, c) -> children.add(new Child(k, c)));
      Comparator<Child> byPriority = Comparator.comparing(ch -> ch.node().priority(), NodeHashTest::comparePriority);
      children.sort(byPriority.thenComparing(Child::key, KeyOrder.COMPARATOR));
      StringBuilder sb = new StringBuilder(text);
      for (Child ch : children) {
        String h = reference(ch.node());
        if (!h.isEmpty()) {
          sb.append(':').append(ch.key()).append(':').append(h);
        }
      }
      text = sb.toString();
    }
    return sha1(text);
  }

  private static String typed(Object v) {
    if (v instanceof Double d) {
      String hex = Long.toHexString(Double.doubleToLongBits(d));
      return "number:" + "0".repeat(16 - hex.length()) + hex;
    }
    if (v instanceof Boolean b) {
      return "boolean:" + b;
    }
    return "string:" + v;
  }

  private static int comparePriority(Object a, Object b) {
    int ra = a == null ? 0 : a instanceof Double ? 1 : 2;
    int rb = b == null ? 0 : b instanceof Double ? 1 : 2;
    if (ra != rb) {
      return ra - rb;
    }
    if (ra == 1) {
      double x = (Double) a;
      double y = (Double) b;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return ra == 2 ? ((String) a).compareTo((String) b) : 0;
  }
}
