package io.canopy.core.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates Firebase's regex subset into a {@link java.util.regex.Pattern}. Accepted: literals, {@code .},
 * {@code \s \S \w \W \d \D}, escaped punctuation and {@code \n \t \r}, character classes (with ranges and
 * negation), groups {@code ( )} and {@code (?: )}, alternation, quantifiers {@code * + ? {n} {n,} {n,m}} (optionally
 * lazy), {@code ^} only at the start and {@code $} only at the end, and the single flag {@code i}. Everything
 * else (back-references, look-arounds, named groups, {@code \b}, inline flags, possessive quantifiers) is
 * rejected, so no Java-only construct can leak through. Matching uses {@code find()}, like JavaScript's
 * {@code test}: only the anchors decide whether the whole string must match. Java's matcher backtracks, so
 * {@link #find} runs it over a character budget: a pathological pattern such as {@code (a+)+$} fails the rule
 * (deny) instead of pinning a CPU.
 */
final class RuleRegex {
  private static final int MAX_REPEAT = 1000;
  private static final long BASE_BUDGET = 1_000_000L;
  private static final long BUDGET_PER_CHAR = 1_000L;

  private final String src;
  private final int base;
  private int pos;
  private final StringBuilder out = new StringBuilder();

  private RuleRegex(String src, int base) {
    this.src = src;
    this.base = base;
  }

  /** Compiles {@code source}; {@code base} is the offset of the literal in the expression, for error positions. */
  static Pattern compile(String source, String flags, int base) {
    int f = 0;
    for (char c : flags.toCharArray()) {
      if (c != 'i') {
        throw new ExpressionSyntaxException("unsupported regex flag '" + c + "' (only 'i' is allowed)", base);
      }
      f = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    }
    RuleRegex r = new RuleRegex(source, base + 1);
    r.translate();
    try {
      return Pattern.compile(r.out.toString(), f);
    } catch (PatternSyntaxException e) {
      throw new ExpressionSyntaxException("invalid regex: " + e.getDescription(), base);
    }
  }

  /** JavaScript's {@code re.test(s)}, bounded: throws {@link EvaluationException} when the budget runs out. */
  static boolean find(Pattern pattern, String input) {
    return pattern.matcher(new Budgeted(input, BASE_BUDGET + BUDGET_PER_CHAR * input.length())).find();
  }

  /** A CharSequence that counts reads; every backtracking step of the matcher reads characters. */
  private static final class Budgeted implements CharSequence {
    private final String s;
    private final long[] left;

    Budgeted(String s, long budget) {
      this(s, new long[] {budget});
    }

    private Budgeted(String s, long[] left) {
      this.s = s;
      this.left = left;
    }

    @Override
    public char charAt(int index) {
      if (--left[0] < 0) {
        throw new EvaluationException("regex match exceeded its step budget");
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Budgeted(s.substring(start, end), left);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  private ExpressionSyntaxException error(String message) {
    return new ExpressionSyntaxException("invalid regex: " + message, base + pos);
  }

  private void translate() {
    int depth = 0;
    boolean canQuantify = false;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      switch (c) {
        case '^' -> {
          if (pos != 0) {
            throw error("'^' is only allowed at the start of the pattern");
          }
          out.append('^');
          pos++;
          canQuantify = false;
        }
        case '$' -> {
          if (pos != src.length() - 1) {
            throw error("'$' is only allowed at the end of the pattern");
          }
          out.append('$');
          pos++;
          canQuantify = false;
        }
        case '\\' -> {
          escape(false);
          canQuantify = true;
        }
        case '[' -> {
          charClass();
          canQuantify = true;
        }
        case '(' -> {
          if (src.startsWith("(?:", pos)) {
            out.append("(?:");
            pos += 3;
          } else if (pos + 1 < src.length() && src.charAt(pos + 1) == '?') {
            throw error("only non-capturing groups '(?:' are supported");
          } else {
            out.append('(');
            pos++;
          }
          depth++;
          canQuantify = false;
        }
        case ')' -> {
          if (depth == 0) {
            throw error("unmatched ')'");
          }
          depth--;
          out.append(')');
          pos++;
          canQuantify = true;
        }
        case '|' -> {
          out.append('|');
          pos++;
          canQuantify = false;
        }
        case '.' -> {
          out.append('.');
          pos++;
          canQuantify = true;
        }
        case '*', '+', '?', '{' -> {
          if (!canQuantify) {
            throw error("nothing to repeat before '" + c + "'");
          }
          quantifier();
          canQuantify = false;
        }
        case ']', '}' -> throw error("unmatched '" + c + "'");
        default -> {
          out.append(literal(c));
          pos++;
          canQuantify = true;
        }
      }
    }
    if (depth != 0) {
      throw error("unclosed group");
    }
  }

  private static String literal(char c) {
    if (Character.isLetterOrDigit(c) || c == ' ' || c == '_') {
      return String.valueOf(c);
    }
    return "\\x{" + Integer.toHexString(c) + "}";
  }

  private void quantifier() {
    char c = src.charAt(pos);
    if (c == '{') {
      int close = src.indexOf('}', pos);
      if (close < 0) {
        throw error("unclosed '{'");
      }
      String body = src.substring(pos + 1, close);
      if (!body.matches("\\d{1,4}(,\\d{0,4})?")) {
        throw error("malformed repetition '{" + body + "}'");
      }
      String[] parts = body.split(",", -1);
      int min = Integer.parseInt(parts[0]);
      int max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : Integer.parseInt(parts[1]);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
        throw error("repetition '{" + body + "}' out of range");
      }
      out.append('{').append(body).append('}');
      pos = close + 1;
    } else {
      out.append(c);
      pos++;
    }
    if (pos < src.length() && src.charAt(pos) == '?') {
      out.append('?');
      pos++;
    }
    if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '*' || src.charAt(pos) == '{')) {
      throw error("nothing to repeat before '" + src.charAt(pos) + "'");
    }
  }

  /** An escape at {@code pos} (a backslash); inside a class the shorthand classes are still allowed. */
  private void escape(boolean inClass) {
    if (pos + 1 >= src.length()) {
      throw error("trailing backslash");
    }
    char e = src.charAt(pos + 1);
    switch (e) {
      case 's', 'S', 'w', 'W', 'd', 'D' -> out.append('\\').append(e);
      case 'n' -> out.append("\\n");
      case 't' -> out.append("\\t");
      case 'r' -> out.append("\\r");
      default -> {
        if (Character.isLetterOrDigit(e)) {
          throw error("unsupported escape '\\" + e + "'");
        }
        out.append(literal(e));
      }
    }
    pos += 2;
  }

  private void charClass() {
    out.append('[');
    pos++;
    if (pos < src.length() && src.charAt(pos) == '^') {
      out.append('^');
      pos++;
    }
    boolean first = true;
    while (true) {
      if (pos >= src.length()) {
        throw error("unclosed character class");
      }
      char c = src.charAt(pos);
      if (c == ']' && !first) {
        out.append(']');
        pos++;
        return;
      }
      if (c == ']') {
        throw error("empty character class");
      }
      if (c == '\\') {
        escape(true);
      } else if (c == '-' && !first && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
        out.append('-');
        pos++;
      } else {
        out.append(literal(c));
        pos++;
      }
      first = false;
    }
  }
}
