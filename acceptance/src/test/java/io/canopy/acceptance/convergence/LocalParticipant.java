package io.canopy.acceptance.convergence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A participant running its op loop on a thread of this JVM (firebase-admin or the raw client). */
abstract class LocalParticipant implements Participant {
  private static final int MAX_ERRORS = 20;
  protected final String id;
  protected final Random random;
  private final List<String> hotSeqs = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private volatile int ops;
  private volatile int committedCounter;
  private volatile int maxRetries;
  private int n;

  LocalParticipant(String id, long seed) {
    this.id = id;
    this.random = new Random(seed);
  }

  @Override
  public String id() {
    return id;
  }

  /** Issues random ops one after the other (each awaited) until the deadline. */
  void run(long deadlineNanos) {
    while (System.nanoTime() < deadlineNanos) {
      String seq = id + "-" + (++n);
      Op op = Op.pick(random);
      try {
        execute(op, seq);
        ops++;
      } catch (RuntimeException | AssertionError e) {
        synchronized (errors) {
          errors.add(seq + " " + op + ": " + e.getMessage());
          if (errors.size() >= MAX_ERRORS) {
            return;
          }
        }
      }
    }
  }

  /** Performs {@code op} with change id {@code seq} and waits for its completion; throws on failure. */
  protected abstract void execute(Op op, String seq);

  protected String key() {
    return "k" + random.nextInt(Op.KEYS);
  }

  protected void committedCounterTransaction() {
    committedCounter++;
  }

  protected void lostToMaxRetries() {
    maxRetries++;
  }

  /** Records an observed /hot/seq (null and repeats are ignored). */
  protected void observedHot(String seq) {
    synchronized (hotSeqs) {
      if (seq != null && (hotSeqs.isEmpty() || !hotSeqs.get(hotSeqs.size() - 1).equals(seq))) {
        hotSeqs.add(seq);
      }
    }
  }

  @Override
  public List<String> hotSeqs() {
    synchronized (hotSeqs) {
      return List.copyOf(hotSeqs);
    }
  }

  @Override
  public int committedCounter() {
    return committedCounter;
  }

  @Override
  public int ops() {
    return ops;
  }

  int maxRetries() {
    return maxRetries;
  }

  @Override
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
