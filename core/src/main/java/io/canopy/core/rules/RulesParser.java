package io.canopy.core.rules;

import io.canopy.core.path.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a Firebase rules document ({@code {"rules": {...}}}) into a {@link RuleSet}. The document is JSON with
 * {@code //} and {@code /* *}{@code /} comments, as Firebase accepts; it is read by a small hand-written reader
 * (core keeps Jackson inside {@code core.json}) that remembers where every value starts, so errors in the JSON
 * and inside rule expressions both report a 1-based line and column of the document. Stateless and thread-safe.
 */
public final class RulesParser {
  private RulesParser() {}

  /** Parses and compiles a rules document; throws {@link RulesParseException} on the first problem. */
  public static RuleSet parse(String document) {
    if (document == null) {
      throw new RulesParseException("Rules document must not be null", 1, 1);
    }
    Reader reader = new Reader(document);
    JValue top = reader.document();
    if (!(top instanceof JObject obj)) {
      throw reader.error("The rules document must be a JSON object", top.offset());
    }
    JValue rules = null;
    for (Map.Entry<String, JEntry> e : obj.entries().entrySet()) {
      if (!e.getKey().equals("rules")) {
        throw reader.error("Unknown top-level key '" + e.getKey() + "' (expected only 'rules')",
            e.getValue().keyOffset());
      }
      rules = e.getValue().value();
    }
    if (rules == null) {
      throw reader.error("The rules document must have a 'rules' key", obj.offset());
    }
    if (!(rules instanceof JObject rulesObj)) {
      throw reader.error("'rules' must be an object", rules.offset());
    }
    return level(reader, rulesObj, Path.ROOT, "/", Set.of());
  }

  private static RuleSet level(Reader reader, JObject obj, Path at, String rulePath, Set<String> wildcards) {
    Rule read = null;
    Rule write = null;
    Rule validate = null;
    List<String> indexOn = List.of();
    Map<String, RuleSet> children = new TreeMap<>();
    String wildcard = null;
    RuleSet wildcardChild = null;
    for (Map.Entry<String, JEntry> e : obj.entries().entrySet()) {
      String key = e.getKey();
      JValue value = e.getValue().value();
      int keyOffset = e.getValue().keyOffset();
      if (key.startsWith(".")) {
        switch (key) {
          case ".read" -> read = rule(reader, key, rulePath, value, wildcards, false);
          case ".write" -> write = rule(reader, key, rulePath, value, wildcards, true);
          case ".validate" -> validate = rule(reader, key, rulePath, value, wildcards, true);
          case ".indexOn" -> indexOn = indexOn(reader, rulePath, value);
          default -> throw reader.error("Unknown rule key '" + key + "' at " + rulePath
              + " (expected .read, .write, .validate or .indexOn)", keyOffset);
        }
        continue;
      }
      String childPath = rulePath.equals("/") ? "/" + key : rulePath + "/" + key;
      if (!(value instanceof JObject childObj)) {
        throw reader.error("Expected an object of rules at " + childPath + ", got " + value.type(), value.offset());
      }
      if (key.startsWith("$")) {
        if (!key.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
          throw reader.error("Invalid wildcard name '" + key + "' at " + rulePath, keyOffset);
        }
        if (wildcard != null) {
          throw reader.error("Two wildcards at " + rulePath + ": " + wildcard + " and " + key, keyOffset);
        }
        if (wildcards.contains(key)) {
          throw reader.error("Wildcard " + key + " at " + rulePath + " is already captured by an ancestor",
              keyOffset);
        }
        Set<String> inner = new HashSet<>(wildcards);
        inner.add(key);
        wildcard = key;
        wildcardChild = level(reader, childObj, at, childPath, Set.copyOf(inner));
      } else {
        String problem = Path.keyProblem(key);
        if (problem != null) {
          throw reader.error("Invalid key '" + key + "' at " + rulePath + ": " + problem, keyOffset);
        }
        if (at.size() >= Path.MAX_DEPTH) {
          throw reader.error("Rules nest deeper than " + Path.MAX_DEPTH + " levels", keyOffset);
        }
        children.put(key, level(reader, childObj, at.child(key), childPath, wildcards));
      }
    }
    return new RuleSet(rulePath, read, write, validate, indexOn, children, wildcard, wildcardChild);
  }

  private static Rule rule(Reader reader, String type, String rulePath, JValue value, Set<String> wildcards,
      boolean allowNewData) {
    if (value instanceof JBool b) {
      return b.value() ? Rule.TRUE : Rule.FALSE;
    }
    if (!(value instanceof JString s)) {
      throw reader.error("Rule " + type + " at " + rulePath + " must be a boolean or an expression string, got "
          + value.type(), value.offset());
    }
    try {
      return new Rule(s.value(), ExpressionParser.parse(s.value(), wildcards, allowNewData));
    } catch (ExpressionSyntaxException e) {
      int at = s.rawOffsets()[Math.min(Math.max(e.offset(), 0), s.value().length())];
      int[] lc = reader.lineColumn(at);
      throw new RulesParseException("Parse error in " + type + " at " + rulePath + " (line " + lc[0] + ", column "
          + lc[1] + "): " + e.getMessage(), lc[0], lc[1]);
    }
  }

  private static List<String> indexOn(Reader reader, String rulePath, JValue value) {
    List<String> keys = new ArrayList<>();
    if (value instanceof JString s) {
      keys.add(s.value());
    } else if (value instanceof JArray a) {
      for (JValue item : a.items()) {
        if (!(item instanceof JString s)) {
          throw reader.error(".indexOn at " + rulePath + " must hold strings, got " + item.type(), item.offset());
        }
        keys.add(s.value());
      }
    } else {
      throw reader.error(".indexOn at " + rulePath + " must be a string or an array of strings, got "
          + value.type(), value.offset());
    }
    for (String k : keys) {
      if (k.isEmpty()) {
        throw reader.error(".indexOn at " + rulePath + " has an empty key", value.offset());
      }
    }
    return keys;
  }

  // ---- A minimal JSON reader with comments and positions ----

  private sealed interface JValue permits JObject, JArray, JString, JBool, JOther {
    int offset();

    String type();
  }

  private record JEntry(int keyOffset, JValue value) {}

  private record JObject(Map<String, JEntry> entries, int offset) implements JValue {
    public String type() {
      return "an object";
    }
  }

  private record JArray(List<JValue> items, int offset) implements JValue {
    public String type() {
      return "an array";
    }
  }

  /** A string; {@code rawOffsets[i]} is the document offset of decoded character i (one extra for the end). */
  private record JString(String value, int[] rawOffsets, int offset) implements JValue {
    public String type() {
      return "a string";
    }
  }

  private record JBool(boolean value, int offset) implements JValue {
    public String type() {
      return "a boolean";
    }
  }

  /** Numbers and null: valid JSON, never valid in a rules document. */
  private record JOther(String type, int offset) implements JValue {}

  private static final class Reader {
    private static final int MAX_NESTING = 128;
    private final String src;
    private int pos;
    private int nesting;

    Reader(String src) {
      this.src = src;
    }

    int[] lineColumn(int offset) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < offset && i < src.length(); i++) {
        if (src.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new int[] {line, col};
    }

    RulesParseException error(String message, int offset) {
      int[] lc = lineColumn(offset);
      return new RulesParseException(message + " (line " + lc[0] + ", column " + lc[1] + ")", lc[0], lc[1]);
    }

    JValue document() {
      JValue v = value();
      skip();
      if (pos < src.length()) {
        throw error("Unexpected '" + src.charAt(pos) + "' after the end of the document", pos);
      }
      return v;
    }

    private void skip() {
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF') {
          pos++;
        } else if (src.startsWith("//", pos)) {
          while (pos < src.length() && src.charAt(pos) != '\n') {
            pos++;
          }
        } else if (src.startsWith("/*", pos)) {
          int end = src.indexOf("*/", pos + 2);
          if (end < 0) {
            throw error("Unterminated comment", pos);
          }
          pos = end + 2;
        } else {
          return;
        }
      }
    }

    private JValue value() {
      skip();
      if (pos >= src.length()) {
        throw error("Unexpected end of the document", pos);
      }
      char c = src.charAt(pos);
      int start = pos;
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        default:
          if (src.startsWith("true", pos)) {
            pos += 4;
            return new JBool(true, start);
          }
          if (src.startsWith("false", pos)) {
            pos += 5;
            return new JBool(false, start);
          }
          if (src.startsWith("null", pos)) {
            pos += 4;
            return new JOther("null", start);
          }
          if (c == '-' || Character.isDigit(c)) {
            pos++;
            while (pos < src.length() && "0123456789.eE+-".indexOf(src.charAt(pos)) >= 0) {
              pos++;
            }
            return new JOther("a number", start);
          }
          throw error("Unexpected character '" + c + "'", pos);
      }
    }

    private void enter() {
      if (++nesting > MAX_NESTING) {
        throw error("The document nests too deeply", pos);
      }
    }

    private JObject object() {
      enter();
      int start = pos++;
      Map<String, JEntry> entries = new LinkedHashMap<>();
      skip();
      if (pos < src.length() && src.charAt(pos) == '}') {
        pos++;
        nesting--;
        return new JObject(entries, start);
      }
      while (true) {
        skip();
        if (pos >= src.length() || src.charAt(pos) != '"') {
          throw error("Expected a quoted key", pos);
        }
        int keyOffset = pos;
        String key = string().value();
        skip();
        if (pos >= src.length() || src.charAt(pos) != ':') {
          throw error("Expected ':' after key \"" + key + "\"", pos);
        }
        pos++;
        JValue v = value();
        if (entries.containsKey(key)) {
          throw error("Duplicate key \"" + key + "\"", keyOffset);
        }
        entries.put(key, new JEntry(keyOffset, v));
        skip();
        if (pos < src.length() && src.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < src.length() && src.charAt(pos) == '}') {
          pos++;
          nesting--;
          return new JObject(entries, start);
        }
        throw error("Expected ',' or '}'", pos);
      }
    }

    private JArray array() {
      enter();
      int start = pos++;
      List<JValue> items = new ArrayList<>();
      skip();
      if (pos < src.length() && src.charAt(pos) == ']') {
        pos++;
        nesting--;
        return new JArray(items, start);
      }
      while (true) {
        items.add(value());
        skip();
        if (pos < src.length() && src.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < src.length() && src.charAt(pos) == ']') {
          pos++;
          nesting--;
          return new JArray(items, start);
        }
        throw error("Expected ',' or ']'", pos);
      }
    }

    private JString string() {
      int start = pos++;
      StringBuilder sb = new StringBuilder();
      List<Integer> offsets = new ArrayList<>();
      while (true) {
        if (pos >= src.length()) {
          throw error("Unterminated string", start);
        }
        char c = src.charAt(pos);
        if (c == '"') {
          offsets.add(pos);
          pos++;
          break;
        }
        if (c < 0x20) {
          throw error("Control character in string", pos);
        }
        offsets.add(pos);
        if (c != '\\') {
          sb.append(c);
          pos++;
          continue;
        }
        if (pos + 1 >= src.length()) {
          throw error("Unterminated string", start);
        }
        char e = src.charAt(pos + 1);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 6 > src.length()) {
              throw error("Malformed \\u escape", pos);
            }
            try {
              sb.append((char) Integer.parseInt(src.substring(pos + 2, pos + 6), 16));
            } catch (NumberFormatException ex) {
              throw error("Malformed \\u escape", pos);
            }
            pos += 4;
          }
          default -> throw error("Invalid escape '\\" + e + "'", pos);
        }
        pos += 2;
      }
      int[] raw = offsets.stream().mapToInt(Integer::intValue).toArray();
      return new JString(sb.toString(), raw, start);
    }
  }
}
