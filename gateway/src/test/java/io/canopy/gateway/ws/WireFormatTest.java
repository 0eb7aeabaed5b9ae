package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.gateway.ws.Outbound.Reply;
import io.canopy.pusher.DataPush;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(Object item) throws Exception {
    return JSON.readTree(WireFormat.write(item));
  }

  @Test
  void handshakeHasAnIntegerTimestampAndTheHost() throws Exception {
    String text = WireFormat.write(new Outbound.Handshake(1_732_300_000_000L, "localhost:9000", "abc"));
    assertThat(text).isEqualTo(
        "{\"t\":\"c\",\"d\":{\"t\":\"h\",\"d\":{\"ts\":1732300000000,\"v\":\"5\",\"h\":\"localhost:9000\","
            + "\"s\":\"abc\"}}}");
    assertThat(json(new Outbound.Handshake(5, "h", "s")).at("/d/d/ts").isIntegralNumber()).isTrue();
  }

  @Test
  void recycledBuffersNeverLeakIntoTheNextMessage() {
    String big = "y".repeat(50_000);
    for (int i = 0; i < 3; i++) {
      assertThat(WireFormat.write(DataPush.overwrite("ns", Path.parse("b"), LeafNode.of(big), null)))
          .isEqualTo("{\"t\":\"d\",\"d\":{\"a\":\"d\",\"b\":{\"p\":\"b\",\"d\":\"" + big + "\"}}}");
      assertThat(WireFormat.write(new Outbound.Pong())).isEqualTo("{\"t\":\"c\",\"d\":{\"t\":\"o\",\"d\":{}}}");
    }
  }

  @Test
  void pongAndShutdown() {
    assertThat(WireFormat.write(new Outbound.Pong())).isEqualTo("{\"t\":\"c\",\"d\":{\"t\":\"o\",\"d\":{}}}");
    assertThat(WireFormat.write(new Outbound.Shutdown("bad ns")))
        .isEqualTo("{\"t\":\"c\",\"d\":{\"t\":\"s\",\"d\":\"bad ns\"}}");
  }

  @Test
  void replyShapes() throws Exception {
    assertThat(WireFormat.write(Reply.ok(1, "")))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"r\":1,\"b\":{\"s\":\"ok\",\"d\":\"\"}}}");
    // a listen's ok carries an object
    assertThat(WireFormat.write(Reply.ok(2, Outbound.EMPTY_OBJECT)))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"r\":2,\"b\":{\"s\":\"ok\",\"d\":{}}}}");
    JsonNode error = json(Reply.error(3_000_000_000L, "datastale", "stale"));
    assertThat(error.at("/d/r").isIntegralNumber()).isTrue();
    assertThat(error.at("/d/r").asLong()).isEqualTo(3_000_000_000L);
    assertThat(error.at("/d/b/s").asText()).isEqualTo("datastale");
    assertThat(error.at("/d/b/d").isTextual()).isTrue();
    assertThat(json(Reply.error(4, "failure", null)).at("/d/b/d").isTextual()).isTrue();
    assertThat(error.has("error")).isFalse();
    assertThat(error.get("d").has("error")).isFalse();
  }

  @Test
  void getRepliesCarryTheValueInExportFormat() {
    Node value = TreeJson.parse("{\"a\":{\".value\":1,\".priority\":2},\"b\":1.5,\".priority\":\"p\"}");
    assertThat(WireFormat.write(Reply.ok(9, value)))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"r\":9,\"b\":{\"s\":\"ok\",\"d\":{\"a\":{\".value\":1,\".priority\":2},"
            + "\"b\":1.5,\".priority\":\"p\"}}}}");
    assertThat(WireFormat.write(Reply.ok(9, Node.empty())))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"r\":9,\"b\":{\"s\":\"ok\",\"d\":null}}}");
  }

  @Test
  void authReplyCarriesExpiresAsAnInteger() throws Exception {
    JsonNode auth = json(Reply.ok(1, WsSession.AUTH_OK));
    assertThat(auth.at("/d/b/d/auth").isNull()).isTrue();
    assertThat(auth.at("/d/b/d/expires").isIntegralNumber()).isTrue();
  }

  @Test
  void overwritePushesUseRelativePaths() {
    assertThat(WireFormat.write(DataPush.overwrite("ns", Path.parse("/a/b"), LeafNode.of(1), null)))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"a\":\"d\",\"b\":{\"p\":\"a/b\",\"d\":1}}}");
    assertThat(WireFormat.write(DataPush.overwrite("ns", Path.ROOT, Node.empty(), null)))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"a\":\"d\",\"b\":{\"p\":\"\",\"d\":null}}}");
    assertThat(WireFormat.write(DataPush.overwrite("ns", Path.parse("q"), TreeJson.parse("{\"x\":true}"), 7L)))
        .isEqualTo("{\"t\":\"d\",\"d\":{\"a\":\"d\",\"b\":{\"p\":\"q\",\"d\":{\"x\":true},\"t\":7}}}");
  }

  @Test
  void mergePushesCarryRelativePathKeys() throws Exception {
    Map<String, Node> children = new LinkedHashMap<>();
    children.put("x/y", LeafNode.of("v"));
    children.put("z", Node.empty());
    JsonNode push = json(DataPush.merge("ns", Path.parse("a"), children, 3L));
    assertThat(push.at("/d/a").asText()).isEqualTo("m");
    assertThat(push.at("/d/b/p").asText()).isEqualTo("a");
    assertThat(push.at("/d/b/d").get("x/y").asText()).isEqualTo("v");
    assertThat(push.at("/d/b/d").get("z").isNull()).isTrue();
    assertThat(push.at("/d/b/t").isIntegralNumber()).isTrue();
  }

  @Test
  void integralNumbersHaveNoDecimalPoint() {
    assertThat(WireFormat.write(DataPush.overwrite("ns", Path.parse("n"), LeafNode.of(5.0), null)))
        .contains("\"d\":5}");
  }

  @Test
  void noticesAreErrorControlMessages() {
    assertThat(WireFormat.write(new WireFormat.Notice("binary frames are not supported")))
        .isEqualTo("{\"t\":\"c\",\"d\":{\"t\":\"e\",\"d\":\"binary frames are not supported\"}}");
  }

  @Test
  void longErrorTextsAreCut() {
    String key = "k".repeat(100_000);
    String reply = WireFormat.write(Outbound.Reply.error(7, "invalid_path", "Invalid key \"" + key + "\""));
    assertThat(reply.length()).isLessThan(WireFormat.MAX_ERROR_CHARS + 100);
    assertThat(reply).contains("\"s\":\"invalid_path\"").contains("...\"}}}");
    // ok payloads are never cut
    assertThat(WireFormat.write(Outbound.Reply.ok(8, key))).contains(key);
    assertThat(WireFormat.abbreviate("\uD83D\uDE00".repeat(600))).endsWith("...")
        .doesNotContain("\uD83D...");
  }
}
