package io.canopy.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Evaluates an {@link Expr} against an {@link Env}. Values are null, Boolean, Double, String, {@link RuleSnapshot},
 * maps ({@code auth}, {@code query}), lists (array literals) and {@link Pattern}s. Any type mismatch throws
 * {@link EvaluationException}; {@link Rule#test} turns every failure into a denial.
 */
final class Interpreter {
  private Interpreter() {}

  /** The variables visible to one rule evaluation. {@code newData} is null for reads. */
  record Env(RuleSnapshot root, RuleSnapshot data, RuleSnapshot newData, Object auth, Object query, double now,
      Map<String, String> vars) {}

  static Object eval(Expr e, Env env) {
    if (e instanceof Expr.Literal l) {
      return l.value();
    }
    if (e instanceof Expr.Regex r) {
      return r.pattern();
    }
    if (e instanceof Expr.Variable v) {
      return variable(v.name(), env);
    }
    if (e instanceof Expr.ArrayLiteral a) {
      List<Object> items = new ArrayList<>(a.items().size());
      for (Expr item : a.items()) {
        items.add(eval(item, env));
      }
      return items;
    }
    if (e instanceof Expr.Member m) {
      return property(eval(m.target(), env), m.name());
    }
    if (e instanceof Expr.Index i) {
      return index(eval(i.target(), env), eval(i.index(), env));
    }
    if (e instanceof Expr.Call c) {
      return call((Expr.Member) c.callee(), c.args(), env);
    }
    if (e instanceof Expr.Unary u) {
      return unary(u.op(), eval(u.operand(), env));
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, env);
    }
    Expr.Ternary t = (Expr.Ternary) e;
    return bool(eval(t.condition(), env), "?:") ? eval(t.then(), env) : eval(t.otherwise(), env);
  }

  private static Object variable(String name, Env env) {
    return switch (name) {
      case "auth" -> env.auth();
      case "root" -> env.root();
      case "data" -> env.data();
      case "newData" -> {
        if (env.newData() == null) {
          throw new EvaluationException("newData is not available in .read rules");
        }
        yield env.newData();
      }
      case "now" -> env.now();
      case "query" -> env.query();
      default -> {
        String v = env.vars().get(name);
        if (v == null) {
          throw new EvaluationException("unbound variable " + name);
        }
        yield v;
      }
    };
  }

  private static boolean bool(Object v, String op) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new EvaluationException(op + " needs a boolean, got " + Values.typeName(v));
  }

  private static double num(Object v, String op) {
    if (v instanceof Double d) {
      return d;
    }
    throw new EvaluationException(op + " needs a number, got " + Values.typeName(v));
  }

  private static String str(Object v, String op) {
    if (v instanceof String s) {
      return s;
    }
    throw new EvaluationException(op + " needs a string, got " + Values.typeName(v));
  }

  private static Object property(Object target, String name) {
    if (target instanceof Map<?, ?> m) {
      return m.get(name); // a missing claim reads as null, as in Firebase
    }
    if (target instanceof String s && name.equals("length")) {
      return (double) s.length();
    }
    throw new EvaluationException("no property '" + name + "' on " + Values.typeName(target));
  }

  private static Object index(Object target, Object index) {
    if (target instanceof Map<?, ?> m && index instanceof String key) {
      return m.get(key);
    }
    throw new EvaluationException("cannot index " + Values.typeName(target) + " with " + Values.typeName(index));
  }

  private static Object unary(String op, Object v) {
    return op.equals("!") ? !bool(v, "!") : -num(v, "unary -");
  }

  private static Object binary(Expr.Binary b, Env env) {
    String op = b.op();
    if (op.equals("&&")) {
      return bool(eval(b.left(), env), op) && bool(eval(b.right(), env), op);
    }
    if (op.equals("||")) {
      return bool(eval(b.left(), env), op) || bool(eval(b.right(), env), op);
    }
    Object l = eval(b.left(), env);
    Object r = eval(b.right(), env);
    return switch (op) {
      case "==", "===" -> strictEquals(l, r);
      case "!=", "!==" -> !strictEquals(l, r);
      case "<" -> compare(l, r, op) < 0;
      case "<=" -> compare(l, r, op) <= 0;
      case ">" -> compare(l, r, op) > 0;
      case ">=" -> compare(l, r, op) >= 0;
      case "+" -> plus(l, r);
      case "-" -> num(l, op) - num(r, op);
      case "*" -> num(l, op) * num(r, op);
      case "/" -> num(l, op) / num(r, op);
      case "%" -> num(l, op) % num(r, op);
      default -> throw new EvaluationException("unknown operator " + op);
    };
  }

  /**
   * Strict equality over primitives. Anything may be compared with null ({@code auth != null}); otherwise
   * snapshots, maps and lists are not comparable (an error, so deny).
   */
  private static boolean strictEquals(Object l, Object r) {
    if (l == null || r == null) {
      return l == r;
    }
    if (l instanceof Double a && r instanceof Double b) {
      return a.doubleValue() == b.doubleValue(); // NaN is not equal to itself
    }
    if (!comparable(l) || !comparable(r)) {
      throw new EvaluationException("cannot compare " + Values.typeName(l) + " with " + Values.typeName(r));
    }
    return Objects.equals(l, r);
  }

  private static boolean comparable(Object v) {
    return v == null || v instanceof Boolean || v instanceof Double || v instanceof String
        || v instanceof RuleSnapshot.ObjectValue;
  }

  private static int compare(Object l, Object r, String op) {
    if (l instanceof Double a && r instanceof Double b) {
      return Double.compare(a, b);
    }
    if (l instanceof String a && r instanceof String b) {
      return a.compareTo(b);
    }
    throw new EvaluationException(op + " cannot compare " + Values.typeName(l) + " with " + Values.typeName(r));
  }

  private static Object plus(Object l, Object r) {
    if (l instanceof Double a && r instanceof Double b) {
      return a + b;
    }
    if ((l instanceof String || r instanceof String) && concatenable(l) && concatenable(r)) {
      return asString(l) + asString(r);
    }
    throw new EvaluationException("+ cannot add " + Values.typeName(l) + " and " + Values.typeName(r));
  }

  private static boolean concatenable(Object v) {
    return v == null || v instanceof String || v instanceof Double || v instanceof Boolean;
  }

  private static String asString(Object v) {
    return v instanceof Double d ? Values.numberToString(d) : String.valueOf(v);
  }

  private static Object call(Expr.Member callee, List<Expr> argExprs, Env env) {
    Object target = eval(callee.target(), env);
    List<Object> args = new ArrayList<>(argExprs.size());
    for (Expr a : argExprs) {
      args.add(eval(a, env));
    }
    String name = callee.name();
    if (target instanceof RuleSnapshot s) {
      return snapshotMethod(s, name, args);
    }
    if (target instanceof String s) {
      return stringMethod(s, name, args);
    }
    throw new EvaluationException("no method '" + name + "' on " + Values.typeName(target));
  }

  private static void arity(String name, List<Object> args, int n) {
    if (args.size() != n) {
      throw new EvaluationException(name + "() takes " + n + " argument(s), got " + args.size());
    }
  }

  private static Object snapshotMethod(RuleSnapshot s, String name, List<Object> args) {
    switch (name) {
      case "val":
        arity(name, args, 0);
        return s.val();
      case "child":
        arity(name, args, 1);
        return s.child(str(args.get(0), "child()"));
      case "parent":
        arity(name, args, 0);
        return s.parent();
      case "hasChild":
        arity(name, args, 1);
        return s.child(str(args.get(0), "hasChild()")).exists();
      case "hasChildren":
        if (args.isEmpty()) {
          return s.hasChildren();
        }
        arity(name, args, 1);
        if (!(args.get(0) instanceof List<?> keys)) {
          throw new EvaluationException("hasChildren() needs an array of strings");
        }
        for (Object k : keys) {
          if (!s.child(str(k, "hasChildren()")).exists()) {
            return false;
          }
        }
        return true;
      case "exists":
        arity(name, args, 0);
        return s.exists();
      case "getPriority":
        arity(name, args, 0);
        return s.priority();
      case "isNumber":
        arity(name, args, 0);
        return s.val() instanceof Double;
      case "isString":
        arity(name, args, 0);
        return s.val() instanceof String;
      case "isBoolean":
        arity(name, args, 0);
        return s.val() instanceof Boolean;
      default:
        throw new EvaluationException("no method '" + name + "' on RuleDataSnapshot");
    }
  }

  private static Object stringMethod(String s, String name, List<Object> args) {
    switch (name) {
      case "contains":
        arity(name, args, 1);
        return s.contains(str(args.get(0), "contains()"));
      case "beginsWith":
        arity(name, args, 1);
        return s.startsWith(str(args.get(0), "beginsWith()"));
      case "endsWith":
        arity(name, args, 1);
        return s.endsWith(str(args.get(0), "endsWith()"));
      case "replace":
        arity(name, args, 2);
        return s.replace(str(args.get(0), "replace()"), str(args.get(1), "replace()"));
      case "toLowerCase":
        arity(name, args, 0);
        return s.toLowerCase(Locale.ROOT);
      case "toUpperCase":
        arity(name, args, 0);
        return s.toUpperCase(Locale.ROOT);
      case "matches":
        arity(name, args, 1);
        if (!(args.get(0) instanceof Pattern p)) {
          throw new EvaluationException("matches() needs a regex literal");
        }
        return RuleRegex.find(p, s);
      default:
        throw new EvaluationException("no method '" + name + "' on string");
    }
  }
}
