package io.canopy.store.testing;

import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random paths and values for model tests, over a small key alphabet whose keys are prefixes and extensions of
 * each other, integer-like and non-ASCII, so that range scans, key encodings and key order all get exercised.
 */
public final class RandomTrees {
  /** Keys that collide in every way a materialized-path encoding can get wrong. */
  public static final List<String> KEYS =
      List.of("a", "b", "ab", "a0", "a b", "a-", "a~", "1", "10", "-1", "é", "😀");

  private final Random random;

  public RandomTrees(long seed) {
    this.random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  public String key() {
    return KEYS.get(random.nextInt(KEYS.size()));
  }

  /** A path of {@code minDepth} to {@code maxDepth} random keys. */
  public Path path(int minDepth, int maxDepth) {
    int depth = minDepth + random.nextInt(maxDepth - minDepth + 1);
    String[] keys = new String[depth];
    for (int i = 0; i < depth; i++) {
      keys[i] = key();
    }
    return Path.of(keys);
  }

  /** Up to {@code count} pairwise non-overlapping paths (fewer if random picks keep colliding). */
  public List<Path> disjointPaths(int count, int minDepth, int maxDepth) {
    List<Path> paths = new ArrayList<>();
    for (int attempt = 0; attempt < count * 4 && paths.size() < count; attempt++) {
      Path candidate = path(minDepth, maxDepth);
      if (paths.stream().noneMatch(p -> p.overlaps(candidate))) {
        paths.add(candidate);
      }
    }
    return paths;
  }

  /** A random leaf value: string, number or boolean. */
  public Object leafValue() {
    switch (random.nextInt(6)) {
      case 0:
        return "";
      case 1:
        return "s" + random.nextInt(20);
      case 2:
        return (double) (random.nextInt(2001) - 1000);
      case 3:
        return random.nextDouble() * 1e6 - 5e5;
      case 4:
        return random.nextBoolean();
      default:
        return key() + " " + key();
    }
  }

  /** A random priority or null (null half of the time). */
  public Object priority() {
    switch (random.nextInt(4)) {
      case 0:
        return (double) random.nextInt(10);
      case 1:
        return "p" + random.nextInt(5);
      default:
        return null;
    }
  }

  /** A random value: empty a quarter of the time, else a leaf or an object up to {@code depth} levels deep. */
  public Node value(int depth) {
    int kind = random.nextInt(8);
    if (kind < 2) {
      return Node.empty();
    }
    return nonEmpty(depth, kind < 5);
  }

  private Node nonEmpty(int depth, boolean leaf) {
    if (leaf || depth <= 0) {
      return LeafNode.of(leafValue(), priority());
    }
    ChildrenNode.Builder b = ChildrenNode.builder();
    int children = 1 + random.nextInt(4);
    for (int i = 0; i < children; i++) {
      b.put(key(), nonEmpty(depth - 1, random.nextInt(3) > 0));
    }
    return b.priority(priority()).build();
  }
}
