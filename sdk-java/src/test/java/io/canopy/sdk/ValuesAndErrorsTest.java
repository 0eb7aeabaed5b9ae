package io.canopy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.value.Values;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Value conversion (plain values, arrays, POJOs, server values) and the error catalogue. */
class ValuesAndErrorsTest {
  record Point(int x, int y) {}

  enum Color { RED }

  @Test
  void userValuesBecomeTreesAndComeBackAsFirebaseDoes() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("n", 5);
    in.put("d", 1.5);
    in.put("s", "x");
    in.put("list", List.of("a", "b"));
    in.put("point", new Point(1, 2));
    in.put("color", Color.RED);
    in.put("gone", null);
    in.put("empty", Map.of());
    Node node = Values.toNode(in);
    assertThat(TreeJson.write(node, true)).isEqualTo(
        "{\"color\":\"RED\",\"d\":1.5,\"list\":{\"0\":\"a\",\"1\":\"b\"},\"n\":5,\"point\":{\"x\":1,\"y\":2},\"s\":\"x\"}");
    Object plain = Values.toPlain(node);
    assertThat(plain).isEqualTo(Map.of("color", "RED", "d", 1.5, "list", List.of("a", "b"), "n", 5L,
        "point", Map.of("x", 1L, "y", 2L), "s", "x"));
    assertThat(Values.convert(node.child("point"), Point.class)).isEqualTo(new Point(1, 2));
    assertThat(Values.convert(node.child("n"), Integer.class)).isEqualTo(5);
    assertThat(Values.toPlain(TreeJson.parse("{\"0\":\"a\",\"2\":\"c\"}"))).isEqualTo(Arrays.asList("a", null, "c"));
    assertThat(Values.toPlain(TreeJson.parse("{\"0\":\"a\",\"5\":\"c\"}"))).isEqualTo(Map.of("0", "a", "5", "c"));
    assertThat(TreeJson.write(Values.toNode(ServerValue.increment(2)), true))
        .isEqualTo("{\".sv\":{\"increment\":2}}");
    assertThat(TreeJson.write(Values.toNode(ServerValue.TIMESTAMP), true)).isEqualTo("{\".sv\":\"timestamp\"}");
    assertThatThrownBy(() -> Values.toNode(Map.of("a/b", 1))).isInstanceOf(InvalidDataException.class);
    assertThatThrownBy(() -> Values.toNode(Double.POSITIVE_INFINITY)).isInstanceOf(InvalidDataException.class);
    assertThatThrownBy(() -> Values.toNode(List.of(Double.NaN))).isInstanceOf(InvalidDataException.class);
  }

  @Test
  void protocolStatusesBecomeTypedExceptions() {
    assertThat(CanopyException.fromStatus("permission_denied", "Permission denied"))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("Permission denied");
    assertThat(CanopyException.fromStatus("datastale", "")).isInstanceOf(DataStaleException.class);
    assertThat(CanopyException.fromStatus("disconnected", null)).isInstanceOf(DisconnectedException.class);
    assertThat(CanopyException.fromStatus("invalid_path", "bad")).isInstanceOf(InvalidDataException.class);
    assertThat(CanopyException.fromStatus("expired_token", "x").code()).isEqualTo(CanopyException.Code.INVALID_TOKEN);
    assertThat(CanopyException.fromStatus("maxretry", "x").code()).isEqualTo(CanopyException.Code.MAX_RETRIES);
    assertThat(CanopyException.fromStatus("something_new", "x").code()).isEqualTo(CanopyException.Code.UNKNOWN);
  }

  @Test
  void referencesValidateAndNavigateWithoutConnecting() {
    try (CanopyClient c = Canopy.connect(ClientOptions.builder("http://127.0.0.1:1?ns=offline").build())) {
      DatabaseReference ref = c.ref("users/ada");
      assertThat(ref.key()).isEqualTo("ada");
      assertThat(ref.parent().key()).isEqualTo("users");
      assertThat(ref.root().key()).isNull();
      assertThat(ref.child("a/b").key()).isEqualTo("b");
      assertThat(c.ref(".info/connected").key()).isEqualTo("connected");
      assertThat(ref.push().key()).hasSize(20);
      assertThatThrownBy(() -> ref.child("a$b")).isInstanceOf(InvalidDataException.class);
      assertThatThrownBy(() -> ref.orderByKey().startAt(1)).isInstanceOf(InvalidDataException.class);
      assertThatThrownBy(() -> ref.limitToFirst(1).limitToLast(2)).isInstanceOf(InvalidDataException.class);
      assertThatThrownBy(() -> ref.orderByKey().orderByValue()).isInstanceOf(InvalidDataException.class);
      assertThatThrownBy(() -> c.ref(".info/x").push()).isInstanceOf(InvalidDataException.class);
      assertThat(ref.orderByChild("age").equalTo(3)).isEqualTo(ref.orderByChild("age").equalTo(3));
    }
  }
}
