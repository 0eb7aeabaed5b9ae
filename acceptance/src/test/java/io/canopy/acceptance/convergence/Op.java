package io.canopy.acceptance.convergence;

import java.util.Random;

/**
 * The random operations every convergence client issues, on overlapping paths of one namespace: items under
 * {@code /items/k0..k7}, the contended object {@code /hot} (whose {@code seq} every client logs) and the
 * transaction counter {@code /counter}. Weights are the same as in {@code node/lib/convergence-client.mjs}.
 */
enum Op {
  /** set /items/kX = {seq, v, by}. */
  SET_ITEM(25),
  /** update / with items/kX/seq, items/kX/v, hot/seq, hot/by (and items/kY/v). */
  UPDATE_MULTI(20),
  /** set /hot = {seq, by, n}. */
  SET_HOT(15),
  /** remove /items/kX. */
  REMOVE_ITEM(10),
  /** transaction /counter + 1. */
  TX_COUNTER(15),
  /** transaction /hot = {seq, by, n: n + 1}. */
  TX_HOT(13),
  /** remove /items. */
  REMOVE_ITEMS(2);

  static final int KEYS = 8;
  private static final int TOTAL;

  static {
    int t = 0;
    for (Op op : values()) {
      t += op.weight;
    }
    TOTAL = t;
  }

  private final int weight;

  Op(int weight) {
    this.weight = weight;
  }

  static Op pick(Random random) {
    int r = random.nextInt(TOTAL);
    for (Op op : values()) {
      if (r < op.weight) {
        return op;
      }
      r -= op.weight;
    }
    return SET_ITEM;
  }
}
