package io.canopy.core.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatObject;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathTest {

  private static void assertInvalidPath(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOf(CanopyException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_PATH));
  }

  @Test
  void rootForms() {
    assertThatObject(Path.parse("/")).isEqualTo(Path.ROOT);
    assertThatObject(Path.parse("")).isEqualTo(Path.ROOT);
    assertThatObject(Path.parse("///")).isEqualTo(Path.ROOT);
    assertThatObject(Path.of()).isEqualTo(Path.ROOT);
    assertThat(Path.ROOT.isRoot()).isTrue();
    assertThat(Path.ROOT.size()).isZero();
    assertThat(Path.ROOT.front()).isNull();
    assertThat(Path.ROOT.last()).isNull();
    assertThatObject(Path.ROOT.parent()).isNull();
    assertThatObject(Path.ROOT.popFront()).isSameAs(Path.ROOT);
    assertThat(Path.ROOT.toString()).isEqualTo("/");
    assertThat(Path.ROOT.toRelativeString()).isEmpty();
    assertThat(Path.ROOT.keys()).isEmpty();
    assertThat(Path.ROOT.iterator().hasNext()).isFalse();
  }

  @Test
  void emptySegmentsAreDropped() {
    Path ab = Path.of("a", "b");
    assertThatObject(Path.parse("a//b/")).isEqualTo(ab);
    assertThatObject(Path.parse("/a/b")).isEqualTo(ab);
    assertThatObject(Path.parse("a/b")).isEqualTo(ab);
    assertThatObject(Path.parse("//a///b//")).isEqualTo(ab);
    assertThat(Path.parse("a//b/").keys()).containsExactly("a", "b");
    assertThat(Path.parse("a//b/").hashCode()).isEqualTo(ab.hashCode());
  }

  @Test
  void keysMayContainSpacesUnicodeAndOtherPunctuation() {
    Path p = Path.parse("/a b/\u00fc/\uD83D\uDE00/-_~!@%^&*()+=,;:'\"?<>|\\{}`");
    assertThat(p.size()).isEqualTo(4);
    assertThat(p.get(3)).isEqualTo("-_~!@%^&*()+=,;:'\"?<>|\\{}`");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "$", "#", "[", "]"})
  void forbiddenCharactersAreRejected(String c) {
    String msg = "keys can't contain";
    assertInvalidPath(() -> Path.parse("/a/b" + c + "c"), msg);
    assertInvalidPath(() -> Path.parse(c), msg);
    assertInvalidPath(() -> Path.of("x" + c), msg);
    assertInvalidPath(() -> Path.validateKey(c + "x"), msg);
    assertInvalidPath(() -> Path.ROOT.child("k" + c), msg);
    assertThat(Path.keyProblem("a" + c)).isNotNull();
  }

  @Test
  void slashIsRejectedInKeys() {
    assertInvalidPath(() -> Path.of("a/b"), "keys can't contain");
    assertInvalidPath(() -> Path.validateKey("/"), "keys can't contain");
    assertInvalidPath(() -> Path.parse("a").child("b/c"), "keys can't contain");
  }

  @Test
  void controlCharactersAreRejected() {
    for (char c = 0; c < 0x20; c++) {
      char ch = c;
      assertInvalidPath(() -> Path.parse("a/b" + ch + "c"), "control characters");
    }
    assertInvalidPath(() -> Path.parse("a\u007fb"), "control characters");
    // 0x80-0x9f are not ASCII control characters.
    assertThat(Path.parse("a\u0080\u009fb").size()).isEqualTo(1);
  }

  @Test
  void emptyAndNullKeysAreRejected() {
    assertInvalidPath(() -> Path.of(""), "non-empty");
    assertInvalidPath(() -> Path.parse(null), "null");
    assertThat(Path.keyProblem(null)).contains("non-empty");
    assertThat(Path.keyProblem("ok")).isNull();
  }

  /** Regression: validateKey(null) used to die with a NullPointerException in abbreviate(). */
  @Test
  void nullKeyIsRejectedAsInvalidPath() {
    assertInvalidPath(() -> Path.validateKey(null), "non-empty");
    assertInvalidPath(() -> Path.of("a", null), "non-empty");
    assertInvalidPath(() -> Path.ROOT.child((String) null), "non-empty");
  }

  @Test
  void keyLengthIsCountedInUtf8Bytes() {
    String euro256 = "\u20ac".repeat(256); // 3 bytes each: 768 bytes
    assertThat(euro256.getBytes(StandardCharsets.UTF_8)).hasSize(768);
    assertThat(Path.parse("/a/" + euro256).last()).isEqualTo(euro256);
    assertThat(Path.keyProblem(euro256)).isNull();
    assertInvalidPath(() -> Path.parse("/a/" + euro256 + "\u20ac"), "768 bytes");
    assertInvalidPath(() -> Path.of("\u20ac".repeat(257)), "768 bytes");

    assertThat(Path.keyProblem("a".repeat(768))).isNull();
    assertThat(Path.keyProblem("a".repeat(769))).contains("768 bytes");
    assertThat(Path.keyProblem("\u00fc".repeat(384))).isNull(); // 2 bytes each
    assertThat(Path.keyProblem("\u00fc".repeat(384) + "a")).contains("768 bytes");
    assertThat(Path.keyProblem("\uD83D\uDE00".repeat(192))).isNull(); // 4 bytes each, 384 chars
    assertThat(Path.keyProblem("\uD83D\uDE00".repeat(192) + "a")).contains("768 bytes");
  }

  @Test
  void depthLimit() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      keys.add("k" + i);
    }
    String p32 = "/" + String.join("/", keys);
    assertThat(Path.parse(p32).size()).isEqualTo(32);
    assertThat(Path.of(keys.toArray(new String[0])).size()).isEqualTo(32);
    assertInvalidPath(() -> Path.parse(p32 + "/k32"), "depth 33");
    keys.add("k32");
    assertInvalidPath(() -> Path.of(keys.toArray(new String[0])), "depth");
    assertInvalidPath(() -> Path.parse(p32).child("x"), "depth");
    Path p16 = Path.parse(String.join("/", keys.subList(0, 16)));
    Path p17 = Path.parse(String.join("/", keys.subList(0, 17)));
    assertThat(p16.child(p16).size()).isEqualTo(32);
    assertInvalidPath(() -> p16.child(p17), "depth");
  }

  @Test
  void priorityOnlyViaParseWrite() {
    assertInvalidPath(() -> Path.parse("a/.priority"), "keys can't contain");
    assertInvalidPath(() -> Path.of("a", ".priority"), "keys can't contain");
    Path p = Path.parseWrite("/a/b/.priority");
    assertThat(p.isPriorityPath()).isTrue();
    assertThat(p.size()).isEqualTo(3);
    assertThat(p.last()).isEqualTo(Path.PRIORITY_KEY);
    assertThatObject(p.parent()).isEqualTo(Path.parse("a/b"));
    assertThat(Path.parseWrite(".priority").isPriorityPath()).isTrue();
    assertThatObject(Path.parseWrite(".priority").parent()).isEqualTo(Path.ROOT);
    // Only as the last segment.
    assertInvalidPath(() -> Path.parseWrite("a/.priority/b"), "keys can't contain");
    assertInvalidPath(() -> Path.parseWrite("a/.value"), "keys can't contain");
    assertThatObject(Path.parseWrite("a/b")).isEqualTo(Path.parse("a/b"));
    assertThat(Path.parseWrite("a/b").isPriorityPath()).isFalse();
    assertThat(Path.ROOT.isPriorityPath()).isFalse();
    assertThat(Path.parse("a").child(Path.PRIORITY_KEY).isPriorityPath()).isTrue();
  }

  @Test
  void navigation() {
    Path p = Path.parse("/a/b/c");
    assertThat(p.size()).isEqualTo(3);
    assertThat(p.get(0)).isEqualTo("a");
    assertThat(p.get(2)).isEqualTo("c");
    assertThatThrownBy(() -> p.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> p.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(p.front()).isEqualTo("a");
    assertThat(p.last()).isEqualTo("c");
    assertThatObject(p.parent()).isEqualTo(Path.parse("a/b"));
    assertThatObject(p.parent().parent().parent()).isEqualTo(Path.ROOT);
    assertThatObject(p.parent().parent().parent().parent()).isNull();
    Path rest = p.popFront();
    assertThatObject(rest).isEqualTo(Path.parse("b/c"));
    assertThat(rest.front()).isEqualTo("b");
    assertThat(rest.get(1)).isEqualTo("c");
    assertThat(rest.keys()).containsExactly("b", "c");
    assertThatObject(rest.popFront().popFront()).isEqualTo(Path.ROOT);
    List<String> seen = new ArrayList<>();
    rest.forEach(seen::add);
    assertThat(seen).containsExactly("b", "c");
  }

  @Test
  void childOfViewsAndRoots() {
    Path p = Path.parse("a/b/c");
    Path view = p.popFront(); // b/c, sharing p's array
    assertThatObject(view.child("d")).isEqualTo(Path.parse("b/c/d"));
    assertThatObject(p.parent().child("x")).isEqualTo(Path.parse("a/b/x"));
    assertThatObject(p).isEqualTo(Path.parse("a/b/c")); // unchanged
    assertThatObject(Path.ROOT.child("a")).isEqualTo(Path.parse("a"));
    assertThatObject(p.child(Path.ROOT)).isSameAs(p);
    assertThatObject(Path.ROOT.child(p)).isSameAs(p);
    assertThatObject(view.child(Path.parse("x/y"))).isEqualTo(Path.parse("b/c/x/y"));
    assertThatObject(Path.parse("a").child(view)).isEqualTo(Path.parse("a/b/c"));
  }

  @Test
  void containsAndOverlaps() {
    Path a = Path.parse("a");
    Path ab = Path.parse("a/b");
    Path abc = Path.parse("a/b/c");
    Path ax = Path.parse("a/x");
    assertThat(Path.ROOT.contains(abc)).isTrue();
    assertThat(Path.ROOT.contains(Path.ROOT)).isTrue();
    assertThat(ab.contains(ab)).isTrue();
    assertThat(ab.contains(abc)).isTrue();
    assertThat(abc.contains(ab)).isFalse();
    assertThat(ab.contains(ax)).isFalse();
    assertThat(Path.parse("ab").contains(ab)).isFalse();
    assertThat(abc.popFront().contains(Path.parse("b/c/d"))).isTrue();
    assertThat(a.overlaps(abc)).isTrue();
    assertThat(abc.overlaps(a)).isTrue();
    assertThat(ab.overlaps(ax)).isFalse();
  }

  @Test
  void relativize() {
    Path ab = Path.parse("a/b");
    assertThatObject(ab.relativize(Path.parse("a/b/c/d"))).isEqualTo(Path.parse("c/d"));
    assertThatObject(ab.relativize(ab)).isEqualTo(Path.ROOT);
    assertThat(ab.relativize(ab).isRoot()).isTrue();
    assertThatObject(Path.ROOT.relativize(ab)).isEqualTo(ab);
    assertThat(ab.relativize(Path.parse("a/b/c")).toString()).isEqualTo("/c");
    assertThatThrownBy(() -> ab.relativize(Path.parse("a/x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ab.relativize(Path.parse("a"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringForms() {
    assertThat(Path.parse("a//b/").toString()).isEqualTo("/a/b");
    assertThat(Path.parse("a//b/").toRelativeString()).isEqualTo("a/b");
    assertThat(Path.parse("a/b/c").popFront().toString()).isEqualTo("/b/c");
    assertThat(Path.parse("a/b/c").parent().toRelativeString()).isEqualTo("a/b");
    assertThatObject(Path.parse(Path.parse("x/y z/\u00fc").toString())).isEqualTo(Path.parse("x/y z/\u00fc"));
  }

  @Test
  void equalityIgnoresSharing() {
    Path viaPop = Path.parse("x/a/b").popFront();
    Path viaParent = Path.parse("a/b/c").parent();
    assertThatObject(viaPop).isEqualTo(viaParent).isEqualTo(Path.of("a", "b"));
    assertThat(viaPop.hashCode()).isEqualTo(viaParent.hashCode()).isEqualTo(Path.of("a", "b").hashCode());
    assertThatObject(Path.parse("a")).isNotEqualTo(Path.parse("a/b")).isNotEqualTo("a");
    assertThatObject(Path.parse("a/b")).isNotEqualTo(Path.parse("a/c"));
  }

  @Test
  void compareToUsesKeyOrderAndPutsAncestorsFirst() {
    List<Path> paths = new ArrayList<>(List.of(
        Path.parse("b"), Path.parse("a/b"), Path.parse("10"), Path.parse("a"), Path.ROOT, Path.parse("9/z"),
        Path.parse("9"), Path.parse("a/10"), Path.parse("a/9")));
    paths.sort(null);
    assertThat(paths).extracting(Path::toString)
        .containsExactly("/", "/9", "/9/z", "/10", "/a", "/a/9", "/a/10", "/a/b", "/b");
    assertThat(Path.parse("a").compareTo(Path.parse("a"))).isZero();
    assertThat(Path.parse("a/b").compareTo(Path.parse("a"))).isPositive();
    assertThat(Path.parse("a").compareTo(Path.parse("a/b"))).isNegative();
  }
}
