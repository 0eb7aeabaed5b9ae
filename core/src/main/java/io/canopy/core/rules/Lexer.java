package io.canopy.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. A {@code /} starts a regex literal when the previous token cannot end an
 * operand (JavaScript's rule), and is the division operator otherwise.
 */
final class Lexer {

  enum Kind { NUMBER, STRING, REGEX, IDENT, VAR, PUNCT, EOF }

  /** One token; {@code text} is the decoded value (string contents, identifier, operator or regex body). */
  record Token(Kind kind, String text, Object value, int offset) {
    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }

    String describe() {
      return switch (kind) {
        case EOF -> "end of expression";
        case STRING -> "string " + Values.display(value);
        case REGEX -> "regex /" + text + "/";
        default -> "token '" + text + "'";
      };
    }
  }

  private static final String[] PUNCTS = {
    "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", ".", ",", "?", ":", "+", "-", "*", "/",
    "%", "!", "<", ">"
  };

  private final String src;
  private int pos;
  private final List<Token> out = new ArrayList<>();

  private Lexer(String src) {
    this.src = src;
  }

  static List<Token> tokenize(String src) {
    Lexer l = new Lexer(src);
    l.run();
    return l.out;
  }

  private void run() {
    while (true) {
      skipSpace();
      if (pos >= src.length()) {
        out.add(new Token(Kind.EOF, "", null, pos));
        return;
      }
      char c = src.charAt(pos);
      int start = pos;
      if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
        number();
      } else if (c == '\'' || c == '"') {
        string(c);
      } else if (c == '$' || Character.isLetter(c) || c == '_') {
        pos++;
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
          pos++;
        }
        String name = src.substring(start, pos);
        if (c == '$' && name.length() == 1) {
          throw new ExpressionSyntaxException("'$' must be followed by a variable name", start);
        }
        out.add(new Token(c == '$' ? Kind.VAR : Kind.IDENT, name, null, start));
      } else if (c == '/' && regexAllowed()) {
        regex();
      } else {
        String p = punct();
        if (p == null) {
          throw new ExpressionSyntaxException("unexpected character '" + c + "'", start);
        }
        pos += p.length();
        out.add(new Token(Kind.PUNCT, p, null, start));
      }
    }
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private String punct() {
    for (String p : PUNCTS) {
      if (src.startsWith(p, pos)) {
        return p;
      }
    }
    if (src.startsWith("=", pos)) {
      throw new ExpressionSyntaxException("assignment '=' is not allowed (use '==')", pos);
    }
    if (src.startsWith("&", pos) || src.startsWith("|", pos)) {
      throw new ExpressionSyntaxException("bitwise operators are not supported (use '&&' or '||')", pos);
    }
    return null;
  }

  private boolean regexAllowed() {
    if (out.isEmpty()) {
      return true;
    }
    Token prev = out.get(out.size() - 1);
    return switch (prev.kind()) {
      case NUMBER, STRING, REGEX, IDENT, VAR -> false;
      case PUNCT -> !(prev.is(")") || prev.is("]"));
      case EOF -> true;
    };
  }

  private void number() {
    int start = pos;
    while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos < src.length() && src.charAt(pos) == '.') {
      pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= src.length() || !Character.isDigit(src.charAt(pos))) {
        pos = save;
        throw new ExpressionSyntaxException("malformed number exponent", save);
      }
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && isIdentPart(src.charAt(pos))) {
      throw new ExpressionSyntaxException("unexpected character '" + src.charAt(pos) + "' after number", pos);
    }
    String text = src.substring(start, pos);
    double d = Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw new ExpressionSyntaxException("number out of range", start);
    }
    out.add(new Token(Kind.NUMBER, text, d, start));
  }

  private void string(char quote) {
    int start = pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw new ExpressionSyntaxException("unterminated string", start);
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (c == '\n') {
        throw new ExpressionSyntaxException("unterminated string", start);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new ExpressionSyntaxException("unterminated string", start);
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'v' -> sb.append('\u000B');
        case '0' -> sb.append('\0');
        case 'u' -> {
          if (pos + 4 > src.length()) {
            throw new ExpressionSyntaxException("malformed \\u escape", pos - 2);
          }
          try {
            sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new ExpressionSyntaxException("malformed \\u escape", pos - 2);
          }
          pos += 4;
        }
        default -> sb.append(e); // \' \" \\ \/ and JS's identity escapes
      }
    }
    String value = sb.toString();
    out.add(new Token(Kind.STRING, src.substring(start, pos), value, start));
  }

  private void regex() {
    int start = pos++;
    StringBuilder body = new StringBuilder();
    boolean inClass = false;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw new ExpressionSyntaxException("unterminated regex literal", start);
      }
      char c = src.charAt(pos++);
      if (c == '\\') {
        if (pos >= src.length()) {
          throw new ExpressionSyntaxException("unterminated regex literal", start);
        }
        body.append(c).append(src.charAt(pos++));
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (c == '/' && !inClass) {
        break;
      }
      body.append(c);
    }
    int flagsStart = pos;
    while (pos < src.length() && isIdentPart(src.charAt(pos))) {
      pos++;
    }
    String flags = src.substring(flagsStart, pos);
    out.add(new Token(Kind.REGEX, body.toString(), flags, start));
  }
}
