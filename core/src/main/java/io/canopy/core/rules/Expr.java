package io.canopy.core.rules;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The AST of a rule expression. {@code toString} is a compact, fully parenthesised form meant for debugging and
 * tests: binary operators print as {@code (op left right)}, so precedence is visible at a glance.
 */
sealed interface Expr {

  /** A literal: null, Boolean, Double or String. */
  record Literal(Object value) implements Expr {
    @Override
    public String toString() {
      return Values.display(value);
    }
  }

  /** A regex literal, already translated and compiled; {@code source} is the Firebase text between slashes. */
  record Regex(String source, String flags, Pattern pattern) implements Expr {
    @Override
    public String toString() {
      return "/" + source + "/" + flags;
    }
  }

  /** {@code auth}, {@code root}, {@code data}, {@code newData}, {@code now}, {@code query} or a {@code $var}. */
  record Variable(String name) implements Expr {
    @Override
    public String toString() {
      return name;
    }
  }

  record ArrayLiteral(List<Expr> items) implements Expr {
    @Override
    public String toString() {
      return items.stream().map(Expr::toString).collect(Collectors.joining(", ", "[", "]"));
    }
  }

  /** {@code target.name}. */
  record Member(Expr target, String name) implements Expr {
    @Override
    public String toString() {
      return target + "." + name;
    }
  }

  /** {@code target[index]}. */
  record Index(Expr target, Expr index) implements Expr {
    @Override
    public String toString() {
      return target + "[" + index + "]";
    }
  }

  /** {@code callee(args)}; the parser only produces calls whose callee is a {@link Member} (methods). */
  record Call(Expr callee, List<Expr> args) implements Expr {
    @Override
    public String toString() {
      return callee + args.stream().map(Expr::toString).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  /** {@code !} or unary {@code -}. */
  record Unary(String op, Expr operand) implements Expr {
    @Override
    public String toString() {
      return "(" + op + " " + operand + ")";
    }
  }

  record Binary(String op, Expr left, Expr right) implements Expr {
    @Override
    public String toString() {
      return "(" + op + " " + left + " " + right + ")";
    }
  }

  record Ternary(Expr condition, Expr then, Expr otherwise) implements Expr {
    @Override
    public String toString() {
      return "(? " + condition + " " + then + " " + otherwise + ")";
    }
  }
}
