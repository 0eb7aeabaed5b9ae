package io.canopy.sdk.internal.sync;

/**
 * One registered listener. {@link #remove()} stops its events at once (even ones already computed), from any thread.
 */
public final class ListenerHandle {
  final EventSink sink;
  final boolean value;
  final boolean child;
  private final Repo repo;
  View view;
  private volatile boolean active = true;

  ListenerHandle(Repo repo, EventSink sink, boolean value, boolean child) {
    this.repo = repo;
    this.sink = sink;
    this.value = value;
    this.child = child;
  }

  boolean active() {
    return active;
  }

  void deactivate() {
    active = false;
  }

  /** Stops the listener; idempotent. */
  public void remove() {
    if (active) {
      active = false;
      repo.removeListener(this);
    }
  }
}
