package io.canopy.core.rules;

/**
 * One compiled {@code .read}, {@code .write} or {@code .validate} rule: a constant or an expression. Immutable and
 * thread-safe. {@link #toString()} prints the AST in its compact form.
 */
public final class Rule {
  static final Rule TRUE = new Rule("true", new Expr.Literal(Boolean.TRUE));
  static final Rule FALSE = new Rule("false", new Expr.Literal(Boolean.FALSE));

  private final String source;
  private final Expr expr;

  Rule(String source, Expr expr) {
    this.source = source;
    this.expr = expr;
  }

  /** The text of the rule as written ({@code "true"}/{@code "false"} for boolean rules). */
  public String source() {
    return source;
  }

  /** The outcome of one evaluation; {@code error} is set when evaluation failed (which counts as false). */
  record Result(boolean value, String error) {}

  /** Evaluates the rule; never throws: errors and non-boolean results count as false. */
  Result test(Interpreter.Env env) {
    try {
      Object v = Interpreter.eval(expr, env);
      if (v instanceof Boolean b) {
        return new Result(b, null);
      }
      return new Result(false, "rule evaluated to " + Values.typeName(v) + ", not a boolean");
    } catch (RuntimeException | StackOverflowError e) {
      return new Result(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  @Override
  public String toString() {
    return expr.toString();
  }
}
