package io.canopy.sdk;

/**
 * A registered listener. {@link #close()} removes it: no event reaches it afterwards, even one already on its way
 * on the event thread. Idempotent; callable from any thread, including inside the listener itself.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
