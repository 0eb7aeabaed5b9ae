package io.canopy.core.path;

import io.canopy.core.error.CanopyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An immutable, validated location in the tree: a sequence of keys. Parsing splits on {@code /} and drops empty
 * segments, so {@code "/a/b"}, {@code "a/b/"} and {@code "a//b"} are the same path; {@code "/"} and {@code ""} are
 * the root. Keys follow Firebase's rules: at most {@value #MAX_KEY_BYTES} UTF-8 bytes, none of
 * {@code . $ # [ ] /} or ASCII control characters, depth at most {@value #MAX_DEPTH}.
 *
 * <p>The special last segment {@code .priority} is allowed by {@link #parseWrite} (the setPriority API); it never
 * appears inside a path.
 */
public final class Path implements Comparable<Path>, Iterable<String> {
  public static final int MAX_DEPTH = 32;
  public static final int MAX_KEY_BYTES = 768;
  public static final String PRIORITY_KEY = ".priority";

  public static final Path ROOT = new Path(new String[0], 0, 0);

  private final String[] keys;
  private final int start;
  private final int end;
  private int hash;

  private Path(String[] keys, int start, int end) {
    this.keys = keys;
    this.start = start;
    this.end = end;
  }

  /** Parses and validates a path; throws {@link CanopyException} (invalid_path) with the reason. */
  public static Path parse(String path) {
    return parse(path, false);
  }

  /** Like {@link #parse} but allows a final {@code .priority} segment, as writes may target it. */
  public static Path parseWrite(String path) {
    return parse(path, true);
  }

  private static Path parse(String path, boolean allowPriority) {
    if (path == null) {
      throw CanopyException.invalidPath("Path must not be null");
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (i <= n) {
      int j = path.indexOf('/', i);
      if (j < 0) {
        j = n;
      }
      if (j > i) {
        parts.add(path.substring(i, j));
      }
      i = j + 1;
    }
    for (int k = 0; k < parts.size(); k++) {
      String key = parts.get(k);
      boolean last = k == parts.size() - 1;
      if (allowPriority && last && key.equals(PRIORITY_KEY)) {
        continue;
      }
      String problem = keyProblem(key);
      if (problem != null) {
        throw CanopyException.invalidPath("Invalid path \"" + path + "\": " + problem);
      }
    }
    int depth = parts.size();
    if (depth > 0 && PRIORITY_KEY.equals(parts.get(depth - 1))) {
      depth--; // .priority addresses a property of the node, not a child
    }
    if (depth > MAX_DEPTH) {
      throw CanopyException.invalidPath(
          "Invalid path \"" + abbreviate(path) + "\": depth " + depth + " exceeds the maximum of " + MAX_DEPTH);
    }
    return parts.isEmpty() ? ROOT : new Path(parts.toArray(new String[0]), 0, parts.size());
  }

  /** Builds a path from keys that are each validated. */
  public static Path of(String... keys) {
    for (String key : keys) {
      validateKey(key);
    }
    if (keys.length > MAX_DEPTH) {
      throw CanopyException.invalidPath("Path depth " + keys.length + " exceeds the maximum of " + MAX_DEPTH);
    }
    return keys.length == 0 ? ROOT : new Path(keys.clone(), 0, keys.length);
  }

  /** Throws invalid_path if {@code key} is not a valid Firebase key. */
  public static void validateKey(String key) {
    String problem = keyProblem(key);
    if (problem != null) {
      throw CanopyException.invalidPath("Invalid key \"" + abbreviate(key) + "\": " + problem);
    }
  }

  /** Why {@code key} is not a valid key, or null if it is. */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "keys must be non-empty strings";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '$' || c == '#' || c == '[' || c == ']' || c == '/') {
        return "keys can't contain \".\", \"#\", \"$\", \"/\", \"[\", or \"]\"";
      }
      if (c < 0x20 || c == 0x7f) {
        return "keys can't contain ASCII control characters";
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < key.length()
            && Character.isLowSurrogate(key.charAt(i + 1));
        if (!paired) {
          return "keys must be valid UTF-16 (unpaired surrogate)";
        }
        i++;
      }
    }
    if (key.length() * 3 > MAX_KEY_BYTES && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "keys can't be longer than " + MAX_KEY_BYTES + " bytes";
    }
    return null;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  public boolean isRoot() {
    return start == end;
  }

  public int size() {
    return end - start;
  }

  public String get(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException(i);
    }
    return keys[start + i];
  }

  /** The first key, or null at the root. */
  public String front() {
    return isRoot() ? null : keys[start];
  }

  /** The last key, or null at the root. */
  public String last() {
    return isRoot() ? null : keys[end - 1];
  }

  /** This path without its first key. */
  public Path popFront() {
    return isRoot() ? this : new Path(keys, start + 1, end);
  }

  /** The parent, or null at the root. */
  public Path parent() {
    return isRoot() ? null : new Path(keys, start, end - 1);
  }

  /** True if this path ends in {@code .priority} (only {@link #parseWrite} makes such paths). */
  public boolean isPriorityPath() {
    return !isRoot() && PRIORITY_KEY.equals(keys[end - 1]);
  }

  public Path child(String key) {
    if (!PRIORITY_KEY.equals(key)) {
      validateKey(key);
    }
    if (size() >= MAX_DEPTH) {
      throw CanopyException.invalidPath("Path depth exceeds the maximum of " + MAX_DEPTH);
    }
    String[] k = Arrays.copyOfRange(keys, start, end + 1);
    k[k.length - 1] = key;
    return new Path(k, 0, k.length);
  }

  public Path child(Path rel) {
    if (rel.isRoot()) {
      return this;
    }
    if (isRoot()) {
      return rel;
    }
    if (size() + rel.size() > MAX_DEPTH) {
      throw CanopyException.invalidPath("Path depth exceeds the maximum of " + MAX_DEPTH);
    }
    String[] k = new String[size() + rel.size()];
    System.arraycopy(keys, start, k, 0, size());
    System.arraycopy(rel.keys, rel.start, k, size(), rel.size());
    return new Path(k, 0, k.length);
  }

  /** True if {@code other} equals this path or lies below it. */
  public boolean contains(Path other) {
    if (other.size() < size()) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      if (!keys[start + i].equals(other.keys[other.start + i])) {
        return false;
      }
    }
    return true;
  }

  /** True if one of the two paths contains the other. */
  public boolean overlaps(Path other) {
    return contains(other) || other.contains(this);
  }

  /** The path of {@code descendant} relative to this one; {@code descendant} must be contained in this path. */
  public Path relativize(Path descendant) {
    if (!contains(descendant)) {
      throw new IllegalArgumentException(descendant + " is not within " + this);
    }
    return new Path(descendant.keys, descendant.start + size(), descendant.end);
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      int i = start;

      @Override
      public boolean hasNext() {
        return i < end;
      }

      @Override
      public String next() {
        if (i >= end) {
          throw new NoSuchElementException();
        }
        return keys[i++];
      }
    };
  }

  public List<String> keys() {
    return List.of(Arrays.copyOfRange(keys, start, end));
  }

  /** Orders paths key by key in Firebase key order; a path sorts before its descendants. */
  @Override
  public int compareTo(Path o) {
    int n = Math.min(size(), o.size());
    for (int i = 0; i < n; i++) {
      int c = KeyOrder.compare(keys[start + i], o.keys[o.start + i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(size(), o.size());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Path p) || p.size() != size()) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      if (!keys[start + i].equals(p.keys[p.start + i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 1;
      for (int i = start; i < end; i++) {
        h = 31 * h + keys[i].hashCode();
      }
      hash = h;
    }
    return h;
  }

  /** {@code "/"} for the root, otherwise {@code "/a/b"}. */
  @Override
  public String toString() {
    if (isRoot()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = start; i < end; i++) {
      sb.append('/').append(keys[i]);
    }
    return sb.toString();
  }

  /** {@code ""} for the root, otherwise {@code "a/b"}: the form the real server uses in pushes. */
  public String toRelativeString() {
    String s = toString();
    return isRoot() ? "" : s.substring(1);
  }
}
