package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteEchoTest {

  @Test
  void plainDataIsEchoedAsSent() {
    Node data = TreeJson.parse("{\"a\":1}");
    assertThat(WriteEcho.ofSet(Path.parse("/x"), data, List.of())).isSameAs(data);
  }

  @Test
  void serverValuesAreEchoedResolvedFromTheOverwrites() {
    Node data = TreeJson.parse("{\"t\":{\".sv\":\"timestamp\"},\"n\":1}");
    List<Overwrite> overwrites = List.of(new Overwrite(Path.parse("/x"), TreeJson.parse("{\"t\":1700,\"n\":1}")));
    assertThat(TreeJson.write(WriteEcho.ofSet(Path.parse("/x"), data, overwrites), false))
        .isEqualTo("{\"n\":1,\"t\":1700}");
  }

  @Test
  void resolvedValueIsAssembledFromOverwritesBelowAndCutFromOverwritesAbove() {
    List<Overwrite> below = List.of(new Overwrite(Path.parse("/x/a"), LeafNode.of(1)),
        new Overwrite(Path.parse("/x/b/c"), LeafNode.of(2)));
    assertThat(TreeJson.write(WriteEcho.resolvedAt(Path.parse("/x"), below), false))
        .isEqualTo("{\"a\":1,\"b\":{\"c\":2}}");
    List<Overwrite> above = List.of(new Overwrite(Path.parse("/x"), TreeJson.parse("{\"y\":{\"z\":3}}")));
    assertThat(TreeJson.write(WriteEcho.resolvedAt(Path.parse("/x/y"), above), false)).isEqualTo("{\"z\":3}");
    assertThat(WriteEcho.resolvedAt(Path.parse("/other"), above).isEmpty()).isTrue();
  }

  @Test
  void priorityPathEchoesThePriority() {
    List<Overwrite> overwrites = List.of(new Overwrite(Path.parse("/x"), LeafNode.of("v", 1700.0)));
    assertThat(WriteEcho.resolvedAt(Path.parseWrite("/x/.priority"), overwrites)).isEqualTo(LeafNode.of(1700.0));
  }

  @Test
  void updateEchoResolvesEachKey() {
    Map<Path, Node> update = new LinkedHashMap<>();
    update.put(Path.parse("a/b"), TreeJson.parse("{\".sv\":{\"increment\":1}}"));
    update.put(Path.parse("c"), LeafNode.of("plain"));
    update.put(Path.parse("d"), Node.empty());
    List<Overwrite> overwrites = List.of(new Overwrite(Path.parse("/r/a/b"), LeafNode.of(6)),
        new Overwrite(Path.parse("/r/c"), LeafNode.of("plain")), new Overwrite(Path.parse("/r/d"), Node.empty()));
    Map<Path, Node> echo = WriteEcho.ofUpdate(Path.parse("/r"), update, overwrites);
    assertThat(new String(JsonReplies.update(echo, RestParams.DEFAULTS), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"a/b\":6,\"c\":\"plain\",\"d\":null}");
  }
}
