package io.canopy.pusher.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.path.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathIndexTest {
  private static Path p(String s) {
    return Path.parse(s);
  }

  private static List<String> overlapping(PathIndex<String> index, String ns, String path) {
    List<String> out = new ArrayList<>();
    index.forEachOverlapping(ns, p(path), out::add);
    return out;
  }

  @Test
  void findsAncestorsSelfAndDescendantsButNotSiblings() {
    PathIndex<String> index = new PathIndex<>();
    index.add("n", p("/"), "root");
    index.add("n", p("/a"), "a");
    index.add("n", p("/a/b"), "ab");
    index.add("n", p("/a/b/c/d"), "abcd");
    index.add("n", p("/a/x"), "ax");
    index.add("n", p("/z"), "z");

    // ancestors first (root down), then below
    assertThat(overlapping(index, "n", "/a/b")).containsExactly("root", "a", "ab", "abcd");
    assertThat(overlapping(index, "n", "/a/b/c")).containsExactly("root", "a", "ab", "abcd");
    assertThat(overlapping(index, "n", "/a/b/q")).containsExactly("root", "a", "ab");
    List<String> underA = overlapping(index, "n", "/a");
    assertThat(underA).containsExactlyInAnyOrder("root", "a", "ab", "abcd", "ax");
    assertThat(underA.subList(0, 2)).containsExactly("root", "a");
    assertThat(underA.indexOf("ab")).isLessThan(underA.indexOf("abcd"));
    assertThat(overlapping(index, "n", "/")).containsExactlyInAnyOrder("root", "a", "ab", "abcd", "ax", "z");
    assertThat(overlapping(index, "n", "/y/deep/path")).containsExactly("root");
  }

  @Test
  void namespacesAreSeparate() {
    PathIndex<String> index = new PathIndex<>();
    index.add("n", p("/a"), "n-a");
    index.add("m", p("/a"), "m-a");
    assertThat(overlapping(index, "n", "/a/b")).containsExactly("n-a");
    assertThat(overlapping(index, "m", "/")).containsExactly("m-a");
    assertThat(overlapping(index, "other", "/a")).isEmpty();
  }

  @Test
  void severalValuesAtOnePathAndRemoval() {
    PathIndex<String> index = new PathIndex<>();
    index.add("n", p("/a"), "q1");
    index.add("n", p("/a"), "q2");
    index.add("n", p("/a/b/c"), "deep");
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.at("n", p("/a"))).containsExactly("q1", "q2");

    assertThat(index.remove("n", p("/a"), "q1")).isTrue();
    assertThat(index.remove("n", p("/a"), "q1")).isFalse();
    assertThat(index.remove("n", p("/nope"), "q1")).isFalse();
    assertThat(overlapping(index, "n", "/a/b")).containsExactly("q2", "deep");

    assertThat(index.remove("n", p("/a/b/c"), "deep")).isTrue();
    assertThat(overlapping(index, "n", "/")).containsExactly("q2");
    assertThat(index.remove("n", p("/a"), "q2")).isTrue();
    assertThat(index.size()).isZero();
    assertThat(overlapping(index, "n", "/")).isEmpty();
  }

  @Test
  void prunesEmptyBranchesSoLookupsDoNotWalkThem() {
    PathIndex<Object> index = new PathIndex<>();
    // many views below /big that are all removed again must not leave nodes behind
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Path path = p("/big/k" + i + "/leaf");
      paths.add(path);
      index.add("n", path, i);
    }
    index.add("n", p("/big/keep"), "keep");
    for (int i = 0; i < 1000; i++) {
      index.remove("n", paths.get(i), i);
    }
    List<Object> seen = new ArrayList<>();
    index.forEachOverlapping("n", p("/"), seen::add);
    assertThat(seen).containsExactly("keep");
    index.remove("n", p("/big/keep"), "keep");
    assertThat(index.size()).isZero();
  }

  @Test
  void lookupVisitsOnlyTheWritePathAndItsSubtree() {
    // A counting visitor over a wide index: a write far from most views touches only its own branch.
    PathIndex<String> index = new PathIndex<>();
    for (int i = 0; i < 10_000; i++) {
      index.add("n", p("/rooms/r" + i + "/messages"), "r" + i);
    }
    assertThat(overlapping(index, "n", "/rooms/r42/messages/m1")).containsExactly("r42");
    assertThat(overlapping(index, "n", "/rooms/r42")).containsExactly("r42");
    assertThat(overlapping(index, "n", "/users/u1")).isEmpty();
  }

  @Test
  void nearestAncestorOrSelfPrefersTheDeepestMatch() {
    PathIndex<String> index = new PathIndex<>();
    index.add("n", p("/"), "root");
    index.add("n", p("/a"), "a-loading");
    index.add("n", p("/a/b"), "ab");
    index.add("n", p("/a/b/c/d"), "below");
    assertThat(index.nearestAncestorOrSelf("n", p("/a/b/c"), v -> true)).isEqualTo("ab");
    assertThat(index.nearestAncestorOrSelf("n", p("/a/q"), v -> !v.endsWith("loading"))).isEqualTo("root");
    assertThat(index.nearestAncestorOrSelf("n", p("/a/b"), v -> true)).isEqualTo("ab");
    assertThat(index.nearestAncestorOrSelf("m", p("/a"), v -> true)).isNull();
    List<String> chain = new ArrayList<>();
    index.forEachAncestorOrSelf("n", p("/a/b/c"), chain::add);
    assertThat(chain).containsExactly("ab", "a-loading", "root");
  }
}
