package io.canopy.pusher.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeBufferTest {
  private static ChangeRecord change(String ns, long offset, String path, String json) {
    return ChangeRecord.accepted(ns, 0, offset, 0, Origin.NONE,
        List.of(new Overwrite(Path.parse(path), TreeJson.parse(json))));
  }

  @Test
  void dropsDuplicatesBySourceOffset() {
    ChangeBuffer b = new ChangeBuffer();
    assertThat(b.add(change("n", 1, "/a", "1"))).isTrue();
    assertThat(b.add(change("n", 1, "/a", "1"))).isFalse();
    assertThat(b.add(change("n", 0, "/a", "1"))).isFalse();
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void dropsMarkersAndVerdictsOfFencedOwners() {
    ChangeBuffer b = new ChangeBuffer(1);
    assertThat(b.add(change("n", 1, "/a", "1").withEpoch(1))).isTrue();
    assertThat(b.add(ChangeRecord.epochMarker(0, 2, 0))).isFalse();
    assertThat(b.add(change("n", 2, "/a", "\"zombie\"").withEpoch(1))).as("the old owner after the marker").isFalse();
    assertThat(b.add(change("n", 2, "/a", "2").withEpoch(2))).as("the new owner's verdict on the same write")
        .isTrue();
    assertThat(b.lastSourceOffset()).isEqualTo(2);
    assertThat(TreeJson.write(b.replay("n", Path.parse("/a"), Node.empty(), 0), false)).isEqualTo("2");
    assertThat(new ChangeBuffer(3).add(change("n", 1, "/a", "1").withEpoch(2)))
        .as("older than the checkpoint the feed started at").isFalse();
  }

  @Test
  void rejectedChangesAreRoutedButNotBuffered() {
    ChangeBuffer b = new ChangeBuffer();
    assertThat(b.add(ChangeRecord.rejected("n", 0, 5, 0, Origin.NONE, ErrorCode.DATASTALE, "stale"))).isTrue();
    assertThat(b.size()).isZero();
    assertThat(b.lastSourceOffset()).isEqualTo(5);
  }

  @Test
  void replayLaysChangesAfterTheCheckpointOverTheSnapshot() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(change("n", 1, "/a/x", "1"));
    b.add(change("other", 2, "/a/y", "2"));
    b.add(change("n", 3, "/a/z", "3"));
    b.add(change("n", 4, "/", "{\"a\":{\"w\":4}}"));
    Node snapshot = TreeJson.parse("{\"x\":0}");
    assertThat(TreeJson.write(b.replay("n", Path.parse("/a"), snapshot, 2), false))
        .isEqualTo("{\"w\":4}");
    assertThat(TreeJson.write(b.replay("n", Path.parse("/a"), snapshot, 0), false)).isEqualTo("{\"w\":4}");
    ChangeBuffer c = new ChangeBuffer();
    c.add(change("n", 1, "/a/x", "1"));
    c.add(change("n", 3, "/b", "3"));
    assertThat(TreeJson.write(c.replay("n", Path.parse("/a"), snapshot, 0), false)).isEqualTo("{\"x\":1}");
    assertThat(TreeJson.write(c.replay("n", Path.parse("/a"), snapshot, 2), false)).isEqualTo("{\"x\":0}");
  }

  @Test
  void trimDropsWhatTheStoreHolds() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(change("n", 1, "/a", "1"));
    b.add(change("n", 2, "/b", "2"));
    b.trim(2);
    assertThat(b.size()).isEqualTo(1);
    assertThat(TreeJson.write(b.replay("n", Path.ROOT, Node.empty(), 0), false)).isEqualTo("{\"b\":2}");
  }
}
