package io.canopy.sdk.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Framing, URLs, backoff and the message layer. */
class ConnectionPiecesTest {
  @Test
  void bigMessagesAreSplitOnCodePointsAndReassembled() {
    String emoji = "\uD83D\uDE00";
    String big = "{\"x\":\"" + "a".repeat(16_383) + emoji + "b".repeat(20_000) + "\"}";
    List<String> frames = FrameCodec.split(big);
    assertThat(frames.get(0)).isEqualTo(String.valueOf(frames.size() - 1));
    assertThat(frames.subList(1, frames.size())).allMatch(f -> f.length() <= FrameCodec.MAX_FRAME_CHARS)
        .noneMatch(f -> Character.isHighSurrogate(f.charAt(f.length() - 1)));
    FrameCodec in = new FrameCodec();
    assertThat(in.accept("0")).isNull(); // a keepalive
    String out = null;
    for (String f : frames) {
      out = in.accept(f);
    }
    assertThat(out).isEqualTo(big);
    assertThat(FrameCodec.split("{}")).containsExactly("{}");
    assertThat(in.accept("{\"t\":\"d\"}")).isEqualTo("{\"t\":\"d\"}");
  }

  @Test
  void databaseUrls() {
    assertThat(DatabaseUrl.parse("http://localhost:9000?ns=demo", null).webSocketUri().toString())
        .isEqualTo("ws://localhost:9000/.ws?v=5&ns=demo");
    assertThat(DatabaseUrl.parse("http://127.0.0.1:9000/", "other").webSocketUri().toString())
        .isEqualTo("ws://127.0.0.1:9000/.ws?v=5&ns=other");
    assertThat(DatabaseUrl.parse("https://my-app.example.com", null).webSocketUri().toString())
        .isEqualTo("wss://my-app.example.com:443/.ws?v=5&ns=my-app");
    assertThat(DatabaseUrl.parse("localhost:9000", null).namespace()).isNull();
    assertThat(DatabaseUrl.parse("ws://10.0.0.1:9000?ns=x", null).toString()).isEqualTo("http://10.0.0.1:9000?ns=x");
    assertThatThrownBy(() -> DatabaseUrl.parse("ftp://x", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backoffGrowsWithJitterUpToTheCap() {
    Backoff b = new Backoff(100, 1_000, new Random(7));
    long first = b.nextDelayMillis();
    assertThat(first).isBetween(50L, 100L);
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = b.nextDelayMillis();
    }
    assertThat(last).isBetween(500L, 1_000L);
    b.reset();
    assertThat(b.nextDelayMillis()).isBetween(50L, 100L);
  }

  @Test
  void requestsAndServerMessages() {
    String put = Wire.request(7, "p", Map.of("p", Wire.path(Path.parse("a/b")), "d", LeafNode.of(1.5)));
    assertThat(put).startsWith("{\"t\":\"d\",\"d\":{\"r\":7,\"a\":\"p\",\"b\":{").contains("\"p\":\"a/b\"")
        .contains("\"d\":1.5");
    assertThat(Wire.path(Path.ROOT)).isEqualTo("/");
    ServerMessage h = Wire.parse("{\"t\":\"c\",\"d\":{\"t\":\"h\",\"d\":{\"ts\":1700000000000,\"v\":\"5\",\"h\":\"x\","
        + "\"s\":\"sid\"}}}");
    assertThat(h).isEqualTo(new ServerMessage.Handshake(1700000000000L, "x", "sid"));
    ServerMessage reply = Wire.parse("{\"t\":\"d\",\"d\":{\"r\":3,\"b\":{\"s\":\"permission_denied\",\"d\":\"no\"}}}");
    assertThat(reply).isInstanceOf(ServerMessage.Reply.class);
    assertThat(((ServerMessage.Reply) reply).ok()).isFalse();
    ServerMessage push = Wire.parse("{\"t\":\"d\",\"d\":{\"a\":\"m\",\"b\":{\"p\":\"x\",\"d\":{\"a/b\":1,\"c\":null}}}}");
    assertThat(Wire.merge(((ServerMessage.Push) push).body().get("d")))
        .containsEntry(Path.parse("a/b"), LeafNode.of(1));
    assertThat(Wire.parse("not json")).isInstanceOf(ServerMessage.Unknown.class);
  }
}
