package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.gateway.ns.NamespaceResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreparedWriteTest {
  private static final NamespaceResolver NS = new NamespaceResolver("default");

  private static RestRequest request(RestMethod method, String path) {
    return RestRequest.parse(method, path, q -> null, h -> null, NS);
  }

  private static PreparedWrite prepare(RestMethod method, String path, String body) {
    return PreparedWrite.of(request(method, path), body.getBytes(StandardCharsets.UTF_8), () -> "-PUSHID");
  }

  private static ChangeRecord accepted(List<Overwrite> overwrites) {
    return ChangeRecord.accepted("default", 0, 0, 0, Origin.NONE, overwrites);
  }

  @Test
  void putIsASet() {
    PreparedWrite w = prepare(RestMethod.PUT, "/a/b.json", "{\"x\":1}");
    assertThat(w.op()).isInstanceOf(WriteOp.Set.class);
    assertThat((Object) w.op().path()).isEqualTo(Path.of("a", "b"));
    assertThat(new String(w.successBody(accepted(List.of())), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
  }

  @Test
  void postSetsAPushIdChildAndRepliesWithItsName() {
    PreparedWrite w = prepare(RestMethod.POST, "/list.json", "\"item\"");
    assertThat((Object) w.op().path()).isEqualTo(Path.of("list", "-PUSHID"));
    assertThat(((WriteOp.Set) w.op()).data()).isEqualTo(LeafNode.of("item"));
    assertThat(new String(w.successBody(accepted(List.of())), StandardCharsets.UTF_8))
        .isEqualTo("{\"name\":\"-PUSHID\"}");
  }

  @Test
  void patchIsAMultiPathMerge() {
    PreparedWrite w = prepare(RestMethod.PATCH, "/u.json", "{\"alan/nick\":\"A\",\"grace\":null}");
    WriteOp.Merge merge = (WriteOp.Merge) w.op();
    assertThat(merge.children()).containsOnlyKeys(Path.of("alan", "nick"), Path.of("grace"));
    assertThat(new String(w.successBody(accepted(List.of())), StandardCharsets.UTF_8))
        .isEqualTo("{\"alan/nick\":\"A\",\"grace\":null}");
  }

  @Test
  void deleteIsASetOfNothingAndRepliesNull() {
    PreparedWrite w = prepare(RestMethod.DELETE, "/a.json", "ignored");
    assertThat(((WriteOp.Set) w.op()).data().isEmpty()).isTrue();
    assertThat(new String(w.successBody(accepted(List.of())), StandardCharsets.UTF_8)).isEqualTo("null");
    assertThat(w.resultingETag(accepted(List.of()))).isEqualTo(ETags.NULL_ETAG);
  }

  @Test
  void putEchoResolvesServerValues() {
    PreparedWrite w = prepare(RestMethod.PUT, "/t.json", "{\".sv\":\"timestamp\"}");
    ChangeRecord verdict = accepted(List.of(new Overwrite(Path.of("t"), LeafNode.of(1234))));
    assertThat(new String(w.successBody(verdict), StandardCharsets.UTF_8)).isEqualTo("1234");
  }

  @Test
  void badJsonIsInvalidDataWithFirebasesMessage() {
    for (String body : new String[] {"", "{", "{\"a\":1} trailing", "nope"}) {
      assertThatThrownBy(() -> prepare(RestMethod.PUT, "/a.json", body))
          .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
          .hasMessageStartingWith("Invalid data; couldn't parse JSON object, array, or value.");
    }
    assertThatThrownBy(() -> prepare(RestMethod.PATCH, "/a.json", "{\"a\":"))
        .hasMessageStartingWith("Invalid data; couldn't parse JSON object, array, or value.");
  }

  @Test
  void patchMustBeAnObjectWithoutOverlappingPaths() {
    assertThatThrownBy(() -> prepare(RestMethod.PATCH, "/a.json", "[1]"))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> prepare(RestMethod.PATCH, "/a.json", "{\"x\":1,\"x/y\":2}"))
        .hasMessageContaining("ancestor");
  }

  @Test
  void badKeysInDataAre400() {
    assertThatThrownBy(() -> prepare(RestMethod.PUT, "/a.json", "{\"a.b\":1}"))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400));
  }

  @Test
  void mapOfEmptyPatchIsAllowed() {
    assertThat(((WriteOp.Merge) prepare(RestMethod.PATCH, "/a.json", "{}").op()).children()).isEqualTo(Map.of());
  }
}
