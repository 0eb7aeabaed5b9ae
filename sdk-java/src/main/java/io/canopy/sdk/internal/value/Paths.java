package io.canopy.sdk.internal.value;

import io.canopy.core.error.CanopyException;
import io.canopy.core.ops.Limits;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.sdk.InvalidDataException;
import java.util.function.Supplier;

/** Path parsing and validation with the SDK's exception type. */
public final class Paths {
  private Paths() {}

  /** A path to read or listen at. */
  public static Path parse(String path) {
    return wrap(() -> Path.parse(path));
  }

  /** A path to write at: may end in {@code .priority}. */
  public static Path parseWrite(String path) {
    return wrap(() -> Path.parseWrite(path));
  }

  /** {@code base} plus the relative {@code path}. */
  public static Path child(Path base, String path) {
    return wrap(() -> base.child(Path.parse(path)));
  }

  /** Checks depth and size limits of a write. */
  public static void checkWrite(Path path, Node data) {
    wrap(() -> {
      Limits.checkWrite(path, data);
      return null;
    });
  }

  /** Builds a query spec, turning core's invalid_query into the SDK's exception. */
  public static QuerySpec query(Supplier<QuerySpec> build) {
    return wrap(build);
  }

  private static <T> T wrap(Supplier<T> s) {
    try {
      return s.get();
    } catch (CanopyException e) {
      throw new InvalidDataException(e.getMessage(), e);
    }
  }
}
