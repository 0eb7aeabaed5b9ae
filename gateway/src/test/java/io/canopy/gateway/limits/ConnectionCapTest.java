package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {
  @Test
  void webSocketsAndStreamsShareTheCap() {
    ConnectionCap cap = new ConnectionCap(3);
    AtomicInteger streams = new AtomicInteger();
    cap.countStreams(streams::get);
    assertThat(cap.tryOpenWebSocket()).isTrue();
    assertThat(cap.tryOpenWebSocket()).isTrue();
    assertThat(cap.admitsStream()).isTrue();
    streams.set(1);
    assertThat(cap.open()).isEqualTo(3);
    assertThat(cap.tryOpenWebSocket()).isFalse();
    assertThat(cap.admitsStream()).isFalse();
    cap.webSocketClosed();
    assertThat(cap.admitsStream()).isTrue();
    assertThat(cap.tryOpenWebSocket()).isTrue();
    assertThat(cap.refusal()).contains("at most 3");
  }

  @Test
  void zeroMeansNoCap() {
    ConnectionCap cap = new ConnectionCap(0);
    for (int i = 0; i < 100_000; i++) {
      assertThat(cap.tryOpenWebSocket()).isTrue();
    }
    assertThat(cap.admitsStream()).isTrue();
  }

  @Test
  void concurrentOpeningsNeverExceedTheCap() throws Exception {
    ConnectionCap cap = new ConnectionCap(100);
    AtomicInteger admitted = new AtomicInteger();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          if (cap.tryOpenWebSocket()) {
            admitted.incrementAndGet();
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(admitted.get()).isEqualTo(100);
  }
}
