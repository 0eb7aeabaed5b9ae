package io.canopy.pusher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.pusher.DataPush;
import io.canopy.pusher.testing.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final DeliveryMetrics metrics = new DeliveryMetrics();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static DataPush push(String path, String json) {
    return DataPush.overwrite("ns", Path.parse(path), TreeJson.parse(json), null);
  }

  @Test
  void writesEverythingInQueueOrderWhenWritable() {
    FakeTransport t = new FakeTransport();
    Outbox box = new Outbox(t, Runnable::run, metrics, 100, 1 << 20);
    box.offer(push("/a", "1"), 10);
    box.send("ok-1");
    box.offer(push("/a", "2"), 10);
    box.send("ack-2");
    assertThat(t.log()).containsExactly("d /a 1", "ok-1", "d /a 2", "ack-2");
    assertThat(box.depth()).isZero();
    assertThat(metrics.pushes()).isEqualTo(2);
    assertThat(metrics.gatewayItems()).isEqualTo(2);
    assertThat(metrics.written()).isEqualTo(4);
  }

  @Test
  void queuesWhileUnwritableAndDrainsOnWritable() {
    FakeTransport t = new FakeTransport();
    Outbox box = new Outbox(t, pool, metrics, 100, 1 << 20);
    t.block();
    box.offer(push("/a", "1"), 10);
    box.send("ok");
    box.offer(push("/a", "2"), 10);
    await().atMost(Duration.ofSeconds(5)).until(() -> box.depth() == 3);
    assertThat(t.written()).isEmpty();
    t.unblock();
    await().atMost(Duration.ofSeconds(5)).until(() -> t.written().size() == 3);
    assertThat(t.log()).containsExactly("d /a 1", "ok", "d /a 2");
    assertThat(metrics.outboxDepthMax()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void manyProducersKeepTheirOwnOrderAndWritesNeverOverlap() throws Exception {
    FakeTransport t = new FakeTransport();
    Outbox box = new Outbox(t, pool, metrics, 1_000_000, Long.MAX_VALUE);
    int producers = 4;
    int each = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService senders = Executors.newFixedThreadPool(producers);
    for (int p = 0; p < producers; p++) {
      int id = p;
      senders.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          if (i % 100 == 0) {
            t.block();
            t.unblock();
          }
          box.send(id + ":" + i);
        }
      });
    }
    start.countDown();
    senders.shutdown();
    assertThat(senders.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> t.written().size() == producers * each);
    int[] next = new int[producers];
    for (Object o : t.written()) {
      String[] parts = ((String) o).split(":");
      int id = Integer.parseInt(parts[0]);
      assertThat(Integer.parseInt(parts[1])).isEqualTo(next[id]++);
    }
    assertThat(t.sawConcurrentWrite()).isFalse();
  }

  @Test
  void refusesDataBeyondTheItemBoundButNeverGatewayItems() {
    FakeTransport t = new FakeTransport();
    t.block();
    Outbox box = new Outbox(t, Runnable::run, metrics, 3, 1 << 20);
    assertThat(box.offer(push("/a", "1"), 10)).isTrue();
    box.send("ok");
    assertThat(box.offer(push("/a", "2"), 10)).isTrue();
    assertThat(box.offer(push("/a", "3"), 10)).isFalse();
    box.send("reply beyond the bound");
    assertThat(box.depth()).isEqualTo(4);
  }

  @Test
  void refusesDataBeyondTheByteBoundButTakesAnythingIntoAnEmptyQueue() {
    FakeTransport t = new FakeTransport();
    t.block();
    Outbox box = new Outbox(t, Runnable::run, metrics, 100, 1000);
    assertThat(box.offer(push("/big", "1"), 5000)).isTrue();
    assertThat(box.offer(push("/a", "1"), 1)).isFalse();
    assertThat(box.queuedBytes()).isEqualTo(5000);
  }

  @Test
  void resyncReplacesQueuedDataWhereTheFirstPushWasAndKeepsRepliesInOrder() {
    FakeTransport t = new FakeTransport();
    t.block();
    Outbox box = new Outbox(t, Runnable::run, metrics, 100, 1 << 20);
    box.send("r1");
    box.offer(push("/a/x", "1"), 10);
    box.send("ok-listen");
    box.offer(push("/a/y", "2"), 10);
    box.send("ack-write");
    box.offer(push("/b", "3"), 10);
    int dropped = box.resync(List.of(push("/a", "{\"x\":1,\"y\":2}"), push("/b", "3")), new long[] {20, 10});
    assertThat(dropped).isEqualTo(3);
    assertThat(box.depth()).isEqualTo(5);
    assertThat(box.queuedBytes()).isEqualTo(3 * SizeEstimator.GATEWAY_ITEM_BYTES + 30);
    t.unblock();
    // the snapshots take the place of the first dropped push: before the ok and the ack that followed it
    assertThat(t.log()).containsExactly("r1", "d /a {\"x\":1,\"y\":2}", "d /b 3", "ok-listen", "ack-write");
    assertThat(metrics.resyncs()).isEqualTo(1);
    assertThat(metrics.droppedPushes()).isEqualTo(3);
  }

  @Test
  void resyncWithoutQueuedDataAppendsTheSnapshots() {
    FakeTransport t = new FakeTransport();
    t.block();
    Outbox box = new Outbox(t, Runnable::run, metrics, 100, 1 << 20);
    box.send("r1");
    assertThat(box.resync(List.of(push("/a", "1")), new long[] {10})).isZero();
    t.unblock();
    assertThat(t.log()).containsExactly("r1", "d /a 1");
  }

  @Test
  void closeDiscardsAndStopsWriting() {
    FakeTransport t = new FakeTransport();
    t.block();
    Outbox box = new Outbox(t, Runnable::run, metrics, 100, 1 << 20);
    box.send("r1");
    box.offer(push("/a", "1"), 10);
    box.close();
    box.send("r2");
    assertThat(box.offer(push("/a", "2"), 10)).isTrue();
    t.unblock();
    assertThat(t.written()).isEmpty();
    assertThat(box.isClosed()).isTrue();
  }

  @Test
  void theSchedulerDrainsManyDeferredOutboxesInAFewBatches() {
    List<FakeTransport> transports = new ArrayList<>();
    List<Outbox> boxes = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.Executor counting = r -> {
      tasks.incrementAndGet();
      pool.execute(r);
    };
    for (int i = 0; i < 100; i++) {
      FakeTransport t = new FakeTransport();
      transports.add(t);
      Outbox box = new Outbox(t, counting, metrics, 100, 1 << 20);
      assertThat(box.offer(push("/a", "1"), 10, false)).isTrue();
      assertThat(box.offer(push("/a", "2"), 10, false)).isTrue();
      boxes.add(box);
    }
    assertThat(transports.get(0).written()).isEmpty(); // deferred: nothing written yet
    new DeliveryScheduler(counting, 3).drain(boxes);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> transports.stream().allMatch(t -> t.written().size() == 2));
    assertThat(tasks.get()).isEqualTo(3);
    for (FakeTransport t : transports) {
      assertThat(t.log()).containsExactly("d /a 1", "d /a 2");
    }
    // a single outbox is drained by a task of its own
    FakeTransport one = new FakeTransport();
    Outbox single = new Outbox(one, Runnable::run, metrics, 100, 1 << 20);
    single.offer(push("/b", "1"), 10, false);
    new DeliveryScheduler(Runnable::run, 3).drain(List.of(single));
    assertThat(one.log()).containsExactly("d /b 1");
  }

  @Test
  void aFailingTransportClosesItsOutbox() {
    List<Object> seen = new ArrayList<>();
    io.canopy.pusher.SessionTransport broken = new io.canopy.pusher.SessionTransport() {
      @Override
      public void write(Object item) {
        seen.add(item);
        throw new IllegalStateException("socket gone");
      }

      @Override
      public boolean writable() {
        return true;
      }

      @Override
      public void onWritable(Runnable callback) {}
    };
    Outbox box = new Outbox(broken, Runnable::run, metrics, 100, 1 << 20);
    box.send("r1");
    box.send("r2");
    assertThat(seen).containsExactly("r1");
    assertThat(box.isClosed()).isTrue();
  }
}
