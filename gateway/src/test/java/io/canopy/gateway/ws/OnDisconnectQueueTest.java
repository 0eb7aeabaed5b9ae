package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnDisconnectQueueTest {
  private final OnDisconnectQueue queue = new OnDisconnectQueue();

  private static WriteOp set(String path, String json) {
    return new WriteOp.Set(Path.parseWrite(path), TreeJson.parse(json));
  }

  private static WriteOp merge(String path, String... relAndJson) {
    Map<Path, Node> children = new LinkedHashMap<>();
    for (int i = 0; i < relAndJson.length; i += 2) {
      children.put(Path.parseWrite(relAndJson[i]), TreeJson.parse(relAndJson[i + 1]));
    }
    return new WriteOp.Merge(Path.parse(path), children);
  }

  @Test
  void keepsTheOrderOfQueuing() {
    queue.add(set("b", "1"));
    queue.add(set("a", "2"));
    queue.add(merge("c", "x", "3"));
    queue.add(set("a", "4"));
    assertThat(queue.ops()).containsExactly(set("b", "1"), set("a", "2"), merge("c", "x", "3"), set("a", "4"));
    assertThat(queue.drain()).hasSize(4);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void cancelRemovesWritesAtThePathAndBelowOnly() {
    queue.add(set("users/u1/online", "false"));
    queue.add(set("users/u1", "{\"gone\":true}"));
    queue.add(merge("users/u1/stats", "last", "1"));
    queue.add(set("users/u10", "null"));
    queue.add(set("users/u2/online", "false"));
    queue.add(set("users/u1/.priority", "3"));
    queue.cancel(Path.parse("/users/u1"));
    assertThat(queue.ops()).containsExactly(set("users/u10", "null"), set("users/u2/online", "false"));
  }

  @Test
  void cancelAtTheRootRemovesEverything() {
    queue.add(set("a", "1"));
    queue.add(merge("/", "b/c", "2"));
    queue.cancel(Path.ROOT);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aSetAboveTheCancelledPathKeepsItsOtherChildrenAsAnUpdate() {
    queue.add(set("room", "{\"a\":1,\"b\":{\"x\":1,\"y\":2},\"c\":3}"));
    queue.cancel(Path.parse("room/b/x"));
    assertThat(queue.ops()).containsExactly(merge("room", "a", "1", "c", "3", "b/y", "2"));
    queue.cancel(Path.parse("room/b"));
    assertThat(queue.ops()).containsExactly(merge("room", "a", "1", "c", "3"));
    queue.cancel(Path.parse("room/a"));
    queue.cancel(Path.parse("room/c"));
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aWriteWithNothingAtTheCancelledPathIsUnchanged() {
    WriteOp leaf = set("status", "\"away\"");
    WriteOp object = set("room", "{\"a\":1}");
    WriteOp delete = set("tmp", "null");
    queue.add(leaf);
    queue.add(object);
    queue.add(delete);
    queue.cancel(Path.parse("status/x"));
    queue.cancel(Path.parse("room/zz"));
    queue.cancel(Path.parse("tmp/x"));
    assertThat(queue.ops()).containsExactly(leaf, object, delete);
  }

  @Test
  void anUpdateAboveTheCancelledPathLosesTheEntriesAtAndBelowIt() {
    queue.add(merge("m", "a/b", "1", "a/c", "2", "d", "{\"e\":1,\"f\":2}"));
    queue.cancel(Path.parse("m/a/b"));
    assertThat(queue.ops()).containsExactly(merge("m", "a/c", "2", "d", "{\"e\":1,\"f\":2}"));
    queue.cancel(Path.parse("m/d/e"));
    assertThat(queue.ops()).containsExactly(merge("m", "a/c", "2", "d/f", "2"));
    queue.cancel(Path.parse("m/a"));
    queue.cancel(Path.parse("m/d/f"));
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void cancellingKeepsTheQueueOrder() {
    queue.add(set("a", "1"));
    queue.add(set("x/y", "1"));
    queue.add(set("b", "2"));
    queue.add(set("x", "{\"y\":1,\"z\":2}"));
    queue.add(set("c", "3"));
    queue.cancel(Path.parse("x/y"));
    assertThat(queue.ops()).containsExactly(set("a", "1"), set("b", "2"), merge("x", "z", "2"), set("c", "3"));
    assertThat(((WriteOp.Merge) queue.ops().get(2)).children()).containsEntry(Path.parse("z"), LeafNode.of(2));
  }
}
