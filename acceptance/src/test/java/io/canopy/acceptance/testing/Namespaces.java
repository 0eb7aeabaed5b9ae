package io.canopy.acceptance.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestInfo;

/**
 * A fresh namespace per test, so tests sharing one server never see each other's data. Canopy accepts namespaces
 * of 1 to 40 characters from {@code [a-z0-9-]}.
 */
public final class Namespaces {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final long RUN = System.currentTimeMillis() % 100_000;

  private Namespaces() {}

  /** {@code <prefix>-<start of the test method name>-<run>-<n>}, at most 40 characters. */
  public static String unique(String prefix, TestInfo test) {
    String method = test.getTestMethod().map(m -> m.getName().toLowerCase(Locale.ROOT)).orElse("test");
    String suffix = "-" + RUN + "-" + COUNTER.incrementAndGet();
    int room = 40 - prefix.length() - 1 - suffix.length();
    return prefix + "-" + method.substring(0, Math.min(method.length(), room)) + suffix;
  }
}
