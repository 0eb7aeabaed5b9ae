package io.canopy.core.pushid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PushIdGeneratorTest {
  private static final String ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

  /** A random source that hands out the given digits (0..63) in turn, cycling. */
  private static RandomGenerator digits(int... ds) {
    return new RandomGenerator() {
      int i;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int nextInt(int bound) {
        assertThat(bound).isEqualTo(64);
        return ds[i++ % ds.length];
      }
    };
  }

  private static int[] repeat(int digit, int n) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, digit);
    return a;
  }

  @Test
  void alphabetIsAsciiOrdered() {
    assertThat(PushIdGenerator.ALPHABET).isEqualTo(ALPHABET).hasSize(64);
    for (int i = 1; i < 64; i++) {
      assertThat(ALPHABET.charAt(i - 1)).isLessThan(ALPHABET.charAt(i));
    }
  }

  @Test
  void formatIsTimestampThenRandom() {
    PushIdGenerator g = new PushIdGenerator(() -> 0L, digits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 63));
    assertThat(g.next()).isEqualTo("--------" + "-0123456789z");

    // 1 ms = last digit '0'; 64 ms = "-------0-"... big-endian base 64.
    assertThat(new PushIdGenerator(() -> 1L, digits(0)).next()).startsWith("-------0");
    assertThat(new PushIdGenerator(() -> 64L, digits(0)).next()).startsWith("------0-");
    assertThat(new PushIdGenerator(() -> (1L << 48) - 1, digits(0)).next()).startsWith("zzzzzzzz");
  }

  @Test
  void realClockIdsLookLikeFirebaseIds() {
    long now = System.currentTimeMillis();
    String id = new PushIdGenerator(() -> now, new Random(1)).next();
    assertThat(id).hasSize(20).matches("[-0-9A-Z_a-z]{20}");
    assertThat(PushIdGenerator.timestampOf(id)).isEqualTo(now);
    // Today's ids start with '-' (timestamps below 2^42 ms, i.e. before 2109), like "-INOQPH-aV_psbk3ZXEX".
    assertThat(id).startsWith("-");
    assertThat(new PushIdGenerator().next()).hasSize(20).matches("[-0-9A-Z_a-z]{20}");
  }

  @Test
  void decodesFirebaseTimestamps() {
    // The id from Firebase's REST docs was made on 2012-03-16T02:54:37.696Z.
    assertThat(PushIdGenerator.timestampOf("-INOQPH-aV_psbk3ZXEX")).isEqualTo(1_331_866_477_696L);
    assertThatThrownBy(() -> PushIdGenerator.timestampOf("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PushIdGenerator.timestampOf("-INOQ.H-aV_psbk3ZXEX"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsOrderByTimeAcrossMilliseconds() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    // High random digits first, low ones after: the timestamp still decides.
    PushIdGenerator g = new PushIdGenerator(clock::get, new Random(7));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      clock.addAndGet(1 + i % 3 * 50);
      ids.add(g.next());
    }
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    assertThat(sorted).isEqualTo(ids);
    for (String id : ids) {
      assertThat(id).hasSize(20);
    }
    assertThat(PushIdGenerator.timestampOf(ids.get(ids.size() - 1))).isEqualTo(clock.get());

    PushIdGenerator a = new PushIdGenerator(() -> 1000L, digits(63));
    PushIdGenerator b = new PushIdGenerator(() -> 1001L, digits(0));
    assertThat(a.next()).isLessThan(b.next());
  }

  @Test
  void sameMillisecondIncrementsTheRandomPart() {
    PushIdGenerator g = new PushIdGenerator(() -> 5000L, digits(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    String first = g.next();
    String second = g.next();
    String third = g.next();
    assertThat(first.substring(8)).isEqualTo("------------");
    assertThat(second.substring(8)).isEqualTo("-----------0");
    assertThat(third.substring(8)).isEqualTo("-----------1");
    assertThat(second.substring(0, 8)).isEqualTo(first.substring(0, 8));
    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(third);
  }

  @Test
  void manyIdsInOneMillisecondStrictlyIncrease() {
    PushIdGenerator g = new PushIdGenerator(() -> 123_456_789L, new Random(3));
    String prev = g.next();
    for (int i = 0; i < 10_000; i++) {
      String id = g.next();
      assertThat(id).isGreaterThan(prev);
      prev = id;
    }
  }

  @Test
  void clockGoingBackwardsStillIncreases() {
    AtomicLong clock = new AtomicLong(10_000);
    PushIdGenerator g = new PushIdGenerator(clock::get, digits(5));
    String first = g.next();
    clock.set(9_000); // NTP step back
    String second = g.next();
    clock.set(9_500);
    String third = g.next();
    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(third);
    // The previous timestamp is kept and the random part counts on.
    assertThat(PushIdGenerator.timestampOf(second)).isEqualTo(10_000);
    assertThat(second.substring(8)).isEqualTo("444444444445");
    assertThat(third.substring(8)).isEqualTo("444444444446");
    clock.set(10_001); // the clock catches up: fresh randomness with the new timestamp
    String fourth = g.next();
    assertThat(PushIdGenerator.timestampOf(fourth)).isEqualTo(10_001);
    assertThat(fourth.substring(8)).isEqualTo("444444444444");
    assertThat(third).isLessThan(fourth);
  }

  @Test
  void carryPropagates() {
    int[] start = repeat(63, 12);
    start[0] = 0; // "-zzzzzzzzzzz"
    PushIdGenerator g = new PushIdGenerator(() -> 42L, digits(start));
    String first = g.next();
    String second = g.next();
    assertThat(first.substring(8)).isEqualTo("-zzzzzzzzzzz");
    assertThat(second.substring(8)).isEqualTo("0-----------");
    assertThat(first).isLessThan(second);

    int[] partial = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 63, 63};
    PushIdGenerator h = new PushIdGenerator(() -> 42L, digits(partial));
    assertThat(h.next().substring(8)).isEqualTo("0123456789zz");
    assertThat(h.next().substring(8)).isEqualTo("012345678A--");
  }

  @Test
  void overflowOfTheWholeRandomPartBorrowsTheNextMillisecond() {
    int[] draws = new int[24];
    java.util.Arrays.fill(draws, 0, 12, 63); // first draw "zzzzzzzzzzzz"
    java.util.Arrays.fill(draws, 12, 24, 1); // second draw "000000000000"
    PushIdGenerator g = new PushIdGenerator(() -> 42L, digits(draws));
    String first = g.next();
    String second = g.next();
    String third = g.next();
    assertThat(first).isEqualTo("-------" + ALPHABET.charAt(42) + "zzzzzzzzzzzz");
    assertThat(second).isEqualTo("-------" + ALPHABET.charAt(43) + "000000000000");
    assertThat(third).isEqualTo("-------" + ALPHABET.charAt(43) + "000000000001");
    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(third);
  }

  @Test
  void rejectsClockOutsideTheEncodableRange() {
    assertThatThrownBy(() -> new PushIdGenerator(() -> -1L, new Random()).next())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new PushIdGenerator(() -> 1L << 48, new Random()).next())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new PushIdGenerator(null, new Random())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new PushIdGenerator(() -> 0L, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void threadSafeAndUnique() throws Exception {
    PushIdGenerator g = new PushIdGenerator(() -> 1_700_000_000_000L, new Random(9));
    int threads = 8;
    int perThread = 2_000;
    ConcurrentLinkedQueue<List<String>> results = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        List<String> mine = new ArrayList<>(perThread);
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          mine.add(g.next());
        }
        results.add(mine);
      });
      th.start();
      ts.add(th);
    }
    go.countDown();
    for (Thread th : ts) {
      th.join(10_000);
    }
    assertThat(results).hasSize(threads);
    Set<String> all = new HashSet<>();
    for (List<String> mine : results) {
      // Each thread sees its own ids strictly increasing.
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i)).isGreaterThan(mine.get(i - 1));
      }
      all.addAll(mine);
    }
    assertThat(all).hasSize(threads * perThread);
  }
}
