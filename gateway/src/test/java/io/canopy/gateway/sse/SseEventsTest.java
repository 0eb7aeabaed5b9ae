package io.canopy.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SseEventsTest {

  private static String str(io.vertx.core.buffer.Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void putIsOneDataLineOfCompactJson() {
    Node data = TreeJson.parse("{\"a\":{\".value\":\"x\\ny\",\".priority\":1},\"b\":2}");
    assertThat(str(SseEvents.put("/", data, false, Long.MAX_VALUE)))
        .isEqualTo("event: put\ndata: {\"path\":\"/\",\"data\":{\"a\":\"x\\ny\",\"b\":2}}\n\n");
    assertThat(str(SseEvents.put("/c/d", data, true, Long.MAX_VALUE)))
        .isEqualTo("event: put\ndata: {\"path\":\"/c/d\",\"data\":"
            + "{\"a\":{\".value\":\"x\\ny\",\".priority\":1},\"b\":2}}\n\n");
    assertThat(str(SseEvents.put("/gone", Node.empty(), false, Long.MAX_VALUE)))
        .isEqualTo("event: put\ndata: {\"path\":\"/gone\",\"data\":null}\n\n");
  }

  @Test
  void patchKeysAreRelativePaths() {
    Map<String, Node> children = new LinkedHashMap<>();
    children.put("x/y", TreeJson.parse("1"));
    children.put("z", Node.empty());
    assertThat(str(SseEvents.patch("/p", children, false, Long.MAX_VALUE)))
        .isEqualTo("event: patch\ndata: {\"path\":\"/p\",\"data\":{\"x/y\":1,\"z\":null}}\n\n");
  }

  @Test
  void controlEvents() {
    assertThat(str(SseEvents.keepAlive())).isEqualTo("event: keep-alive\ndata: null\n\n");
    assertThat(str(SseEvents.cancel("Permission denied.")))
        .isEqualTo("event: cancel\ndata: \"Permission denied.\"\n\n");
    assertThat(str(SseEvents.authRevoked("credential is no longer valid")))
        .isEqualTo("event: auth_revoked\ndata: \"credential is no longer valid\"\n\n");
    assertThat(str(SseEvents.message("cancel", null))).isEqualTo("event: cancel\ndata: null\n\n");
  }

  @Test
  void eventsOverTheLimitFail() {
    Node big = TreeJson.parse("\"" + "x".repeat(1000) + "\"");
    assertThatThrownBy(() -> SseEvents.put("/", big, false, 500)).isInstanceOf(SseEvents.TooLarge.class);
    assertThat(SseEvents.put("/", big, false, 2000).length()).isGreaterThan(1000);
  }
}
