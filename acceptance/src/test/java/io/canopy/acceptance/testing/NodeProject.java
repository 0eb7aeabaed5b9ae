package io.canopy.acceptance.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Node project in {@code acceptance/node} (official {@code firebase} JS SDK) and the {@code node} binary. */
public final class NodeProject {
  public static final Path DIR = Path.of(System.getProperty("canopy.node.dir", "node")).toAbsolutePath().normalize();

  private NodeProject() {}

  /** {@code node} from {@code $NODE} or the PATH. */
  public static String node() {
    String env = System.getenv("NODE");
    return env != null && !env.isBlank() ? env : "node";
  }

  public static boolean installed() {
    return Files.isDirectory(DIR.resolve("node_modules").resolve("firebase"));
  }

  public static String missingMessage() {
    return "No " + DIR.resolve("node_modules") + ": run `(cd acceptance/node && npm ci)` first"
        + " (.ci/run always does)";
  }
}
