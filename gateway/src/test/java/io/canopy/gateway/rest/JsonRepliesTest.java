package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRepliesTest {
  private static final Node WITH_PRIORITY = TreeJson.parse("{\"a\":{\".value\":1,\".priority\":2},\"b\":true}");

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void prioritiesOnlyInExportFormat() {
    assertThat(str(JsonReplies.value(WITH_PRIORITY, RestParams.DEFAULTS))).isEqualTo("{\"a\":1,\"b\":true}");
    RestParams export = new RestParams(RestParams.Print.COMPACT, true, false);
    assertThat(str(JsonReplies.value(WITH_PRIORITY, export)))
        .isEqualTo("{\"a\":{\".value\":1,\".priority\":2},\"b\":true}");
  }

  @Test
  void prettyIndents() {
    RestParams pretty = new RestParams(RestParams.Print.PRETTY, false, false);
    assertThat(str(JsonReplies.value(WITH_PRIORITY, pretty))).contains("\n").contains("\"a\" : 1");
  }

  @Test
  void emptyIsNull() {
    assertThat(str(JsonReplies.value(Node.empty(), RestParams.DEFAULTS))).isEqualTo("null");
  }

  @Test
  void shallowMapsChildrenToTrue() {
    assertThat(TreeJson.write(JsonReplies.shallow(TreeJson.parse("{\"a\":{\"x\":1},\"b\":2}")), false))
        .isEqualTo("{\"a\":true,\"b\":true}");
    assertThat(TreeJson.write(JsonReplies.shallow(TreeJson.parse("\"leaf\"")), false)).isEqualTo("\"leaf\"");
  }

  @Test
  void pushName() {
    assertThat(str(JsonReplies.pushName("-Nabc", RestParams.DEFAULTS))).isEqualTo("{\"name\":\"-Nabc\"}");
  }
}
