package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The mapping between request paths ({@code /users/ada.json}, percent-encoded) and tree paths. */
public final class RestPaths {
  public static final String SUFFIX = ".json";

  private RestPaths() {}

  /** True if the raw request path addresses data (ends in {@code .json}); everything else is a 404. */
  public static boolean isDataPath(String rawPath) {
    return rawPath != null && rawPath.startsWith("/") && rawPath.endsWith(SUFFIX);
  }

  /**
   * The tree path of a data request: {@code /.json} is the root, {@code /a/b.json} is {@code /a/b}. A final
   * {@code .priority} segment is kept (writes and reads of priorities).
   *
   * @throws CanopyException invalid_path (400) for bad escapes or keys
   */
  public static Path toTreePath(String rawPath) {
    if (!isDataPath(rawPath)) {
      throw CanopyException.invalidPath("Invalid path: " + rawPath + " does not end in " + SUFFIX);
    }
    String decoded = percentDecode(rawPath.substring(0, rawPath.length() - SUFFIX.length()));
    return Path.parseWrite(decoded);
  }

  /** RFC 3986 percent-decoding as UTF-8; unlike form decoding, {@code +} stays a plus. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      int pct = s.indexOf('%', i);
      if (pct != i) {
        // A literal run: copied as UTF-8 (whole substrings, so surrogate pairs stay intact).
        byte[] run = s.substring(i, pct < 0 ? s.length() : pct).getBytes(StandardCharsets.UTF_8);
        bytes.write(run, 0, run.length);
        i = pct < 0 ? s.length() : pct;
        continue;
      }
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (lo < 0) {
        throw CanopyException.invalidPath("Invalid path: bad percent-encoding in \"" + s + "\"");
      }
      bytes.write(hi << 4 | lo);
      i += 3;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw CanopyException.invalidPath("Invalid path: percent-encoding is not valid UTF-8 in \"" + s + "\"");
    }
  }
}
