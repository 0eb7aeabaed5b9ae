package io.canopy.core.pushid;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Firebase push ids: 20 characters over {@value #ALPHABET} (ASCII-ordered, so ids compare as strings the way
 * their numbers compare). The first 8 characters are the millisecond timestamp in big-endian base 64, the last 12
 * are 72 random bits.
 *
 * <p>Ids from one generator strictly increase: when the clock has not advanced since the previous id (same
 * millisecond, or the clock went backwards) the previous timestamp is kept and the previous random part is
 * incremented by one, carrying leftwards; if all 12 random characters are already {@code z}, the timestamp
 * advances by one millisecond and fresh random characters are drawn. Thread-safe.
 */
public final class PushIdGenerator {
  /** The 64 characters, in ascending ASCII order. */
  public static final String ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

  public static final int LENGTH = 20;
  static final int TIME_CHARS = 8;
  static final int RANDOM_CHARS = 12;
  /** Timestamps must fit in 8 base-64 digits: below 2^48 ms (year 10889). */
  public static final long MAX_TIMESTAMP = (1L << 48) - 1;

  private final LongSupplier clock;
  private final RandomGenerator random;

  // Guarded by this.
  private long lastTime = -1;
  private final int[] lastRandom = new int[RANDOM_CHARS];

  /** The system clock and a {@link SecureRandom}. */
  public PushIdGenerator() {
    this(System::currentTimeMillis, new SecureRandom());
  }

  /**
   * @param clock epoch milliseconds (e.g. the server clock, or a client clock plus its server offset)
   * @param random the source of the 12 random characters
   */
  public PushIdGenerator(LongSupplier clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The next id, greater than every id this generator returned before. */
  public String next() {
    long now = clock.getAsLong();
    if (now < 0 || now > MAX_TIMESTAMP) {
      throw new IllegalStateException("clock out of the push id range [0, 2^48): " + now);
    }
    char[] id = new char[LENGTH];
    synchronized (this) {
      if (now > lastTime) {
        lastTime = now;
        fillRandom();
      } else if (!increment()) {
        // 72 bits' worth of ids in one millisecond: borrow the next millisecond.
        if (lastTime == MAX_TIMESTAMP) {
          throw new IllegalStateException("push id space exhausted");
        }
        lastTime++;
        fillRandom();
      }
      long t = lastTime;
      for (int i = TIME_CHARS - 1; i >= 0; i--) {
        id[i] = ALPHABET.charAt((int) (t & 63));
        t >>>= 6;
      }
      for (int i = 0; i < RANDOM_CHARS; i++) {
        id[TIME_CHARS + i] = ALPHABET.charAt(lastRandom[i]);
      }
    }
    return new String(id);
  }

  private void fillRandom() {
    for (int i = 0; i < RANDOM_CHARS; i++) {
      lastRandom[i] = random.nextInt(64);
    }
  }

  /** Adds one to the random part; false (and all digits zero) on overflow. */
  private boolean increment() {
    for (int i = RANDOM_CHARS - 1; i >= 0; i--) {
      if (lastRandom[i] < 63) {
        lastRandom[i]++;
        return true;
      }
      lastRandom[i] = 0;
    }
    return false;
  }

  /** The millisecond timestamp encoded in the first 8 characters of a push id. */
  public static long timestampOf(String pushId) {
    if (pushId == null || pushId.length() < TIME_CHARS) {
      throw new IllegalArgumentException("not a push id: " + pushId);
    }
    long t = 0;
    for (int i = 0; i < TIME_CHARS; i++) {
      int d = ALPHABET.indexOf(pushId.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("not a push id: " + pushId);
      }
      t = (t << 6) | d;
    }
    return t;
  }
}
