package io.canopy.pusher.ack;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckRouterTest {
  @Test
  void completesOnlyTheWaitingWriteOfThisGateway() {
    AckRouter router = new AckRouter("gw1");
    AckRouter.PendingWrite w = router.register();
    router.route(ChangeRecord.accepted("n", 0, 1, 0, new Origin("gw2", w.requestId()), List.of()));
    assertThat(w.verdict()).isNotDone();
    ChangeRecord mine = ChangeRecord.accepted("n", 0, 2, 0, new Origin("gw1", w.requestId()), List.of());
    router.route(mine);
    assertThat(w.verdict()).isCompletedWithValue(mine);
    assertThat(router.waitingCount()).isZero();
  }

  @Test
  void requestIdsAreUniqueAndForgettable() {
    AckRouter router = new AckRouter("gw");
    AckRouter.PendingWrite a = router.register();
    AckRouter.PendingWrite b = router.register();
    assertThat(a.requestId()).isNotEqualTo(b.requestId());
    router.forget(a.requestId());
    assertThat(router.waitingCount()).isEqualTo(1);
    router.failAll(new IllegalStateException("stop"));
    assertThat(b.verdict()).isCompletedExceptionally();
  }
}
