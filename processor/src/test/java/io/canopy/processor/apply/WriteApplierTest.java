package io.canopy.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.hash.NodeHash;
import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.TreeReader;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteApplierTest {
  private final WriteApplier applier = new WriteApplier();
  private static final long NOW = 1_732_300_000_123L;

  private ChangeRecord decide(Node state, WriteOp op, String hash) {
    WriteRecord w = new WriteRecord("ns", op, hash, new Origin("gw", 9));
    return applier.decide(w, 3, 42, NOW, TreeReader.of(state));
  }

  private static Node json(String s) {
    return TreeJson.parse(s);
  }

  @Test
  void setBecomesOneOverwriteWithTheRecordsIdentity() {
    ChangeRecord c = decide(Node.empty(), new WriteOp.Set(Path.parse("/a"), json("{\"b\":1}")), null);
    assertThat(c.accepted()).isTrue();
    assertThat(c.sourcePartition()).isEqualTo(3);
    assertThat(c.sourceOffset()).isEqualTo(42);
    assertThat(c.timestamp()).isEqualTo(NOW);
    assertThat(c.origin()).isEqualTo(new Origin("gw", 9));
    assertThat(c.overwrites()).containsExactly(new Overwrite(Path.parse("/a"), json("{\"b\":1}")));
  }

  @Test
  void timestampIsTheRecordTime() {
    ChangeRecord c = decide(Node.empty(), new WriteOp.Set(Path.parse("/t"), json("{\".sv\":\"timestamp\"}")), null);
    assertThat(TreeJson.write(c.overwrites().get(0).value(), false)).isEqualTo(String.valueOf(NOW));
  }

  @Test
  void incrementAddsToTheCurrentNumberOrStartsFromZero() {
    Node state = json("{\"n\":41,\"s\":\"x\"}");
    ChangeRecord c = decide(state, new WriteOp.Merge(Path.ROOT, Map.of(
        Path.parse("n"), json("{\".sv\":{\"increment\":1}}"),
        Path.parse("s"), json("{\".sv\":{\"increment\":2.5}}"),
        Path.parse("m"), json("{\".sv\":{\"increment\":-3}}"))), null);
    Node after = state;
    for (Overwrite o : c.overwrites()) {
      after = o.applyTo(after);
    }
    assertThat(TreeJson.write(after, false)).isEqualTo("{\"m\":-3,\"n\":42,\"s\":2.5}");
  }

  @Test
  void compareAndSetAcceptsTheCurrentHashAndRejectsAStaleOne() {
    Node state = json("{\"counter\":{\"count\":0}}");
    String current = NodeHash.hash(state.get(Path.parse("/counter")));
    assertThat(current).isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    WriteOp op = new WriteOp.Set(Path.parse("/counter"), json("{\"count\":1}"));
    assertThat(decide(state, op, current).accepted()).isTrue();
    ChangeRecord stale = decide(state, op, "");
    assertThat(stale.error()).isEqualTo(ErrorCode.DATASTALE);
    assertThat(stale.overwrites()).isEmpty();
  }

  @Test
  void compareAndSetOnAbsentDataExpectsTheEmptyHash() {
    WriteOp op = new WriteOp.Set(Path.parse("/new"), json("1"));
    assertThat(decide(Node.empty(), op, "").accepted()).isTrue();
  }

  @Test
  void priorityWriteRewritesTheNodeWithItsNewPriority() {
    Node state = json("{\"a\":{\"b\":1}}");
    ChangeRecord c = decide(state, new WriteOp.Set(Path.parseWrite("/a/.priority"), json("7")), null);
    assertThat(c.overwrites()).containsExactly(
        new Overwrite(Path.parse("/a"), json("{\"b\":1,\".priority\":7}")));
  }

  @Test
  void priorityWriteOnNothingChangesNothing() {
    ChangeRecord c = decide(Node.empty(), new WriteOp.Set(Path.parseWrite("/a/.priority"), json("7")), null);
    assertThat(c.accepted()).isTrue();
    assertThat(c.overwrites()).isEmpty();
  }

  @Test
  void mergeWithPriorityOfAChildWrittenInTheSameUpdate() {
    Map<Path, Node> children = new LinkedHashMap<>();
    children.put(Path.parse("x"), json("1"));
    children.put(Path.parseWrite("x/.priority"), json("\"p\""));
    ChangeRecord c = decide(Node.empty(), new WriteOp.Merge(Path.parse("/m"), children), null);
    Node after = Node.empty();
    for (Overwrite o : c.overwrites()) {
      after = o.applyTo(after);
    }
    assertThat(TreeJson.write(after, true)).isEqualTo("{\"m\":{\"x\":{\".value\":1,\".priority\":\"p\"}}}");
  }

  @Test
  void sameInputsGiveTheSameChange() {
    Node state = json("{\"n\":1}");
    WriteOp op = new WriteOp.Set(Path.parse("/n"), json("{\".sv\":{\"increment\":1}}"));
    assertThat(decide(state, op, null)).isEqualTo(decide(state, op, null));
  }
}
