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
import io.canopy.core.rules.AuthContext;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor's use of the rules: who may write, with server values resolved before the rules see them. */
class WriteApplierRulesTest {
  private static final long NOW = 1_732_300_000_123L;
  private static final RulesDocument RULES = RulesDocument.parse("""
      {"rules": {
        "users": {"$uid": {
          ".write": "auth != null && auth.uid == $uid",
          "age": {".validate": "newData.isNumber() && newData.val() >= 0"},
          "seen": {".validate": "newData.val() == now"}
        }},
        "counter": {".write": "auth != null", ".validate": "newData.isNumber() && newData.val() <= data.val() + 1"},
        "messages": {"$id": {".write": "auth != null && !data.exists()"}}
      }}""");
  private static final Caller ALICE = Caller.user(AuthContext.of("alice"));
  private final WriteApplier applier = new WriteApplier();

  private ChangeRecord decide(Caller caller, Node state, WriteOp op, String hash) {
    return applier.decide(new WriteRecord("ns", op, hash, new Origin("gw", 1), caller), 0, 7, NOW,
        TreeReader.of(state), RULES);
  }

  private static WriteOp set(String path, String json) {
    return new WriteOp.Set(Path.parse(path), TreeJson.parse(json));
  }

  @Test
  void ownerMayWriteTheirNodeOthersMayNot() {
    assertThat(decide(ALICE, Node.empty(), set("/users/alice/name", "\"A\""), null).accepted()).isTrue();
    ChangeRecord other = decide(ALICE, Node.empty(), set("/users/bob/name", "\"A\""), null);
    assertThat(other.error()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(other.message()).isEqualTo("Permission denied");
    assertThat(other.overwrites()).isEmpty();
    assertThat(decide(Caller.ANONYMOUS, Node.empty(), set("/users/alice/name", "1"), null).accepted()).isFalse();
  }

  @Test
  void adminsBypassRules() {
    assertThat(decide(Caller.ADMIN, Node.empty(), set("/elsewhere", "1"), null).accepted()).isTrue();
  }

  @Test
  void validateSeesResolvedServerValues() {
    assertThat(decide(ALICE, Node.empty(), set("/users/alice/seen", "{\".sv\":\"timestamp\"}"), null).accepted())
        .isTrue();
    assertThat(decide(ALICE, Node.empty(), set("/users/alice/seen", "5"), null).accepted()).isFalse();
    Node state = TreeJson.parse("{\"counter\":4}");
    WriteOp inc = set("/counter", "{\".sv\":{\"increment\":1}}");
    assertThat(decide(ALICE, state, inc, null).accepted()).isTrue();
    assertThat(decide(ALICE, state, set("/counter", "{\".sv\":{\"increment\":2}}"), null).accepted()).isFalse();
  }

  @Test
  void multiPathUpdatesAreAllOrNothing() {
    WriteOp mixed = new WriteOp.Merge(Path.parse("/users"), Map.of(Path.parse("alice/age"), TreeJson.parse("3"),
        Path.parse("bob/age"), TreeJson.parse("4")));
    assertThat(decide(ALICE, Node.empty(), mixed, null).accepted()).isFalse();
    WriteOp invalid = new WriteOp.Merge(Path.parse("/users/alice"), Map.of(Path.parse("age"), TreeJson.parse("-1"),
        Path.parse("name"), TreeJson.parse("\"A\"")));
    assertThat(decide(ALICE, Node.empty(), invalid, null).error()).isEqualTo(ErrorCode.PERMISSION_DENIED);
  }

  @Test
  void rulesAreJudgedBeforeTheCompareAndSet() {
    Node state = TreeJson.parse("{\"messages\":{\"m1\":\"hi\"}}");
    ChangeRecord c = decide(ALICE, state, set("/messages/m1", "\"x\""), "wrong-hash");
    assertThat(c.error()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    String hash = NodeHash.hash(Node.empty());
    assertThat(decide(ALICE, state, set("/messages/m2", "\"x\""), hash).accepted()).isTrue();
  }

  @Test
  void rulesUpdatesNeedAnAdminAndACompilableDocument() {
    String rulesNs = RulesNamespace.of("ns");
    WriteOp good = new WriteOp.Set(Path.ROOT, LeafNode.of("{\"rules\":{\".read\":true}}"));
    ChangeRecord byAdmin = applier.decide(new WriteRecord(rulesNs, good, null, Origin.NONE, Caller.ADMIN), 0, 1, NOW,
        TreeReader.of(Node.empty()), null);
    assertThat(byAdmin.accepted()).isTrue();
    assertThat(byAdmin.overwrites()).containsExactly(new Overwrite(Path.ROOT, LeafNode.of(
        "{\"rules\":{\".read\":true}}")));
    ChangeRecord byUser = applier.decide(new WriteRecord(rulesNs, good, null, Origin.NONE, ALICE), 0, 1, NOW,
        TreeReader.of(Node.empty()), null);
    assertThat(byUser.error()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    WriteOp bad = new WriteOp.Set(Path.ROOT, LeafNode.of("{\"rules\":{\".read\":\"auth.\"}}"));
    ChangeRecord broken = applier.decide(new WriteRecord(rulesNs, bad, null, Origin.NONE, Caller.ADMIN), 0, 1, NOW,
        TreeReader.of(Node.empty()), null);
    assertThat(broken.error()).isEqualTo(ErrorCode.INVALID_DATA);
    assertThat(broken.message()).containsIgnoringCase("line");
    WriteOp reset = new WriteOp.Set(Path.ROOT, Node.empty());
    assertThat(applier.decide(new WriteRecord(rulesNs, reset, null, Origin.NONE, Caller.ADMIN), 0, 1, NOW,
        TreeReader.of(Node.empty()), null).accepted()).isTrue();
  }
}
