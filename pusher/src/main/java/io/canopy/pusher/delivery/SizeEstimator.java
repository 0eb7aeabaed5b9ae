package io.canopy.pusher.delivery;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.pusher.DataPush;
import java.util.Map;

/**
 * A rough, bounded estimate of the bytes a push takes on the wire (JSON text), for the outbox's byte bound. It
 * walks the data but stops once the estimate passes a cap, so its cost is bounded by the cap, not by the data.
 */
public final class SizeEstimator {
  /** What a gateway item (a reply) is assumed to weigh. */
  public static final long GATEWAY_ITEM_BYTES = 64;
  private static final long ENVELOPE_BYTES = 48;

  private SizeEstimator() {}

  /** The estimated size of {@code push}, or a value above {@code cap} once it passes {@code cap}. */
  public static long estimate(DataPush push, long cap) {
    long size = ENVELOPE_BYTES + push.path().toString().length();
    if (push.isMerge()) {
      for (Map.Entry<String, Node> e : push.mergeChildren().entrySet()) {
        size += e.getKey().length() + 4;
        size = add(e.getValue(), size, cap);
        if (size > cap) {
          return size;
        }
      }
      return size;
    }
    return add(push.data(), size, cap);
  }

  private static long add(Node node, long size, long cap) {
    if (size > cap) {
      return size;
    }
    if (node instanceof LeafNode leaf) {
      Object v = leaf.value();
      size += v instanceof String s ? s.length() + 2 : 8;
      return leaf.priority() == null ? size : size + 30;
    }
    if (node instanceof ChildrenNode c) {
      size += 2;
      for (int i = 0, n = c.childCount(); i < n && size <= cap; i++) {
        size += c.keyAt(i).length() + 4;
        size = add(c.childAt(i), size, cap);
      }
      return c.priority() == null ? size : size + 20;
    }
    return size + 4; // null
  }
}
