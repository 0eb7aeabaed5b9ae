package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.pusher.DataPush;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPushesTest {

  @Test
  void aPushIsSerialisedOnceForEveryConnectionItGoesTo() {
    DataPush push = DataPush.overwrite("ns", Path.parse("/a/b"), LeafNode.of(1), null);
    List<String> first = WsTransport.SharedPushes.frames(push);
    assertThat(first).containsExactly(WireFormat.write(push));
    assertThat(WsTransport.SharedPushes.frames(push)).isSameAs(first);
  }

  @Test
  void equalPushesThatAreDifferentObjectsGiveTheSameText() {
    for (int i = 0; i < 3 * WsTransport.SharedPushes.SLOTS; i++) {
      DataPush a = DataPush.overwrite("ns", Path.parse("/p"), LeafNode.of(i), (long) i);
      DataPush b = DataPush.overwrite("ns", Path.parse("/p"), LeafNode.of(i), (long) i);
      assertThat(WsTransport.SharedPushes.frames(a)).isEqualTo(WsTransport.SharedPushes.frames(b))
          .containsExactly(WireFormat.write(a));
    }
  }

  @Test
  void aLongMessageIsSplitIntoFramesAndNotKept() {
    String big = "x".repeat(WsTransport.SharedPushes.MAX_CACHED_CHARS + 10);
    DataPush push = DataPush.overwrite("ns", Path.parse("/big"), LeafNode.of(big), null);
    List<String> frames = WsTransport.SharedPushes.frames(push);
    assertThat(frames).isEqualTo(Frames.split(WireFormat.write(push)));
    assertThat(frames.size()).isGreaterThan(2);
    assertThat(WsTransport.SharedPushes.frames(push)).isNotSameAs(frames).isEqualTo(frames);
  }
}
