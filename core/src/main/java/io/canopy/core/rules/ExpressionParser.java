package io.canopy.core.rules;

import io.canopy.core.rules.Lexer.Kind;
import io.canopy.core.rules.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent (Pratt) parser for rule expressions. Binding powers, loosest first: {@code ?:} (right
 * associative), {@code ||}, {@code &&}, {@code == != === !==}, {@code < <= > >=}, {@code + -}, {@code * / %},
 * prefix {@code ! -}, then postfix member access, indexing and calls. Variables are checked here: unknown names,
 * {@code $vars} not captured by an enclosing wildcard and {@code newData} in {@code .read} are syntax errors.
 */
final class ExpressionParser {
  private static final int MAX_DEPTH = 200;
  private static final Set<String> GLOBALS = Set.of("auth", "root", "data", "newData", "now", "query");

  private final List<Token> tokens;
  private final Set<String> wildcards;
  private final boolean allowNewData;
  private int pos;
  private int depth;

  private ExpressionParser(List<Token> tokens, Set<String> wildcards, boolean allowNewData) {
    this.tokens = tokens;
    this.wildcards = wildcards;
    this.allowNewData = allowNewData;
  }

  /**
   * Parses one expression.
   *
   * @param wildcards the {@code $names} captured on the way to the rule
   * @param allowNewData false for {@code .read} rules
   */
  static Expr parse(String src, Set<String> wildcards, boolean allowNewData) {
    ExpressionParser p = new ExpressionParser(Lexer.tokenize(src), wildcards, allowNewData);
    if (p.peek().kind() == Kind.EOF) {
      throw new ExpressionSyntaxException("empty expression", 0);
    }
    Expr e = p.expression(0);
    if (p.peek().kind() != Kind.EOF) {
      throw unexpected(p.peek());
    }
    return e;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private static ExpressionSyntaxException unexpected(Token t) {
    return new ExpressionSyntaxException("unexpected " + t.describe(), t.offset());
  }

  private Token expect(String punct) {
    Token t = next();
    if (!t.is(punct)) {
      throw new ExpressionSyntaxException("expected '" + punct + "' but found " + t.describe(), t.offset());
    }
    return t;
  }

  /** Left binding power of an infix/postfix token; 0 if the token cannot continue an expression. */
  private static int infixPower(Token t) {
    if (t.kind() != Kind.PUNCT) {
      return 0;
    }
    return switch (t.text()) {
      case "?" -> 1;
      case "||" -> 2;
      case "&&" -> 3;
      case "==", "!=", "===", "!==" -> 4;
      case "<", "<=", ">", ">=" -> 5;
      case "+", "-" -> 6;
      case "*", "/", "%" -> 7;
      case ".", "[", "(" -> 9;
      default -> 0;
    };
  }

  private Expr expression(int minPower) {
    if (++depth > MAX_DEPTH) {
      throw new ExpressionSyntaxException("expression nested too deeply", peek().offset());
    }
    try {
      Expr left = prefix();
      while (true) {
        Token t = peek();
        int power = infixPower(t);
        if (power <= minPower) {
          return left;
        }
        next();
        left = switch (t.text()) {
          case "?" -> {
            Expr then = expression(0);
            expect(":");
            yield new Expr.Ternary(left, then, expression(0)); // right associative
          }
          case "." -> member(left);
          case "[" -> {
            Expr index = expression(0);
            expect("]");
            yield new Expr.Index(left, index);
          }
          case "(" -> call(left, t);
          default -> new Expr.Binary(t.text(), left, expression(power));
        };
      }
    } finally {
      depth--;
    }
  }

  private Expr member(Expr target) {
    Token name = next();
    if (name.kind() != Kind.IDENT) {
      throw new ExpressionSyntaxException("expected a property name after '.' but found " + name.describe(),
          name.offset());
    }
    return new Expr.Member(target, name.text());
  }

  private Expr call(Expr callee, Token open) {
    if (!(callee instanceof Expr.Member)) {
      throw new ExpressionSyntaxException("only methods can be called: " + callee + " is not a method",
          open.offset());
    }
    List<Expr> args = new ArrayList<>();
    if (!peek().is(")")) {
      do {
        args.add(expression(0));
      } while (peek().is(",") && next() != null);
    }
    expect(")");
    return new Expr.Call(callee, List.copyOf(args));
  }

  private Expr prefix() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER, STRING:
        return new Expr.Literal(t.value());
      case REGEX:
        return new Expr.Regex(t.text(), (String) t.value(), RuleRegex.compile(t.text(), (String) t.value(),
            t.offset()));
      case VAR:
        if (!wildcards.contains(t.text())) {
          throw new ExpressionSyntaxException("unknown variable '" + t.text()
              + "' (no enclosing wildcard captures it)", t.offset());
        }
        return new Expr.Variable(t.text());
      case IDENT:
        return switch (t.text()) {
          case "true" -> new Expr.Literal(Boolean.TRUE);
          case "false" -> new Expr.Literal(Boolean.FALSE);
          case "null" -> new Expr.Literal(null);
          default -> {
            if (!GLOBALS.contains(t.text())) {
              throw new ExpressionSyntaxException("unknown variable '" + t.text() + "'", t.offset());
            }
            if (!allowNewData && t.text().equals("newData")) {
              throw new ExpressionSyntaxException("newData is not available in .read rules", t.offset());
            }
            yield new Expr.Variable(t.text());
          }
        };
      case PUNCT:
        switch (t.text()) {
          case "(" -> {
            Expr e = expression(0);
            expect(")");
            return e;
          }
          case "[" -> {
            List<Expr> items = new ArrayList<>();
            if (!peek().is("]")) {
              do {
                items.add(expression(0));
              } while (peek().is(",") && next() != null);
            }
            expect("]");
            return new Expr.ArrayLiteral(List.copyOf(items));
          }
          case "!", "-" -> {
            return new Expr.Unary(t.text(), expression(8));
          }
          default -> throw unexpected(t);
        }
      default:
        throw unexpected(t);
    }
  }
}
