package io.canopy.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.AuthContext;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.RulesNamespace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogCodecTest {

  private static WriteRecord roundTrip(WriteRecord w) {
    return LogCodec.decodeWrite(LogCodec.encode(w));
  }

  @Test
  void setRecordRoundTripsWithEveryKindOfCaller() {
    WriteOp op = new WriteOp.Set(Path.parse("/a/b"), TreeJson.parse("{\"x\":1,\"y\":[true,\"s\"]}"));
    Caller user = Caller.user(new AuthContext("alice", "password",
        Map.of("email", "a@example.com", "admin", true, "level", 3, "groups", List.of("x", "y"),
            "firebase", Map.of("sign_in_provider", "password"))));
    for (Caller caller : List.of(Caller.ADMIN, Caller.ANONYMOUS, user)) {
      WriteRecord w = new WriteRecord("demo", op, "abc=", new Origin("gw-1", 42), caller);
      assertThat(roundTrip(w)).isEqualTo(w);
    }
  }

  @Test
  void mergeRecordRoundTrips() {
    WriteOp op = new WriteOp.Merge(Path.parse("/m"), Map.of(Path.parse("a/b"), TreeJson.parse("1"),
        Path.parse("c"), TreeJson.parse("null")));
    WriteRecord w = new WriteRecord("demo", op, null, Origin.NONE, Caller.ANONYMOUS);
    assertThat(roundTrip(w)).isEqualTo(w);
  }

  @Test
  void recordsWithoutCallerAreUnauthenticated() {
    String json = "{\"v\":1,\"ns\":\"demo\",\"p\":\"/a\",\"op\":\"s\",\"d\":1}";
    WriteRecord w = LogCodec.decodeWrite(json.getBytes(StandardCharsets.UTF_8));
    assertThat(w.caller()).isEqualTo(Caller.ANONYMOUS);
  }

  @Test
  void changeRecordRoundTrips() {
    ChangeRecord ok = ChangeRecord.accepted("demo", 3, 17, 1_700_000_000_000L, new Origin("g", 9),
        List.of(new Overwrite(Path.parse("/a"), TreeJson.parse("{\"b\":2}"))));
    ChangeRecord denied = ChangeRecord.rejected("demo", 3, 18, 1L, Origin.NONE, ErrorCode.PERMISSION_DENIED,
        "Permission denied");
    assertThat(LogCodec.decodeChange(LogCodec.encode(ok))).isEqualTo(ok);
    assertThat(LogCodec.decodeChange(LogCodec.encode(denied))).isEqualTo(denied);
    assertThat(LogCodec.decodeChange(LogCodec.encode(ok.withEpoch(7)))).isEqualTo(ok.withEpoch(7));
    ChangeRecord marker = ChangeRecord.epochMarker(3, 8, 5L);
    assertThat(LogCodec.decodeChange(LogCodec.encode(marker))).isEqualTo(marker);
    assertThat(marker.isEpochMarker()).isTrue();
    assertThat(marker.accepted()).as("a marker is no verdict").isFalse();
  }

  @Test
  void ownerEpochFilterDropsMarkersAndFencedVerdicts() {
    ChangeRecord c = ChangeRecord.accepted("demo", 0, 1, 1L, Origin.NONE, List.of());
    OwnerEpochFilter filter = new OwnerEpochFilter(1);
    assertThat(filter.admit(c.withEpoch(0))).as("older than the checkpoint's epoch").isFalse();
    assertThat(filter.admit(c.withEpoch(1))).isTrue();
    assertThat(filter.admit(ChangeRecord.epochMarker(0, 2, 1L))).isFalse();
    assertThat(filter.epoch()).isEqualTo(2);
    assertThat(filter.admit(c.withEpoch(1))).as("the fenced owner, after the marker").isFalse();
    assertThat(filter.admit(c.withEpoch(2))).isTrue();
    assertThat(filter.admit(ChangeRecord.epochMarker(0, 1, 1L))).as("a stale marker").isFalse();
    assertThat(filter.epoch()).isEqualTo(2);
  }

  @Test
  void garbageIsInvalidData() {
    assertThatThrownBy(() -> LogCodec.decodeWrite("{\"v\":1".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CanopyException.class);
  }

  @Test
  void rulesNamespacesShareTheirOwnersPartition() {
    for (String ns : List.of("demo", "a", "my-project-default-rtdb")) {
      assertThat(Partitions.forNamespace(RulesNamespace.of(ns), 16)).isEqualTo(Partitions.forNamespace(ns, 16));
    }
  }
}
