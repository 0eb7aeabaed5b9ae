package io.canopy.pusher.feed;

import io.canopy.core.log.ChangeRecord;

/** What the change feed tells its owner, always on the feed thread. */
@FunctionalInterface
public interface FeedListener {
  /** A new change (duplicates already dropped), after it went into its partition's buffer; in log order. */
  void onChange(ChangeRecord change);

  /** After each round of the feed loop, once {@link ChangeFeed#position} reflects every change handled. */
  default void afterRound() {}

  /** The feed stopped: {@code failure} is null after {@link ChangeFeed#close}, else what killed it. */
  default void onStopped(Throwable failure) {}
}
