package io.canopy.core.rules;

/** A syntax error inside one expression string, at a character offset of that string. */
final class ExpressionSyntaxException extends RuntimeException {
  private final int offset;

  ExpressionSyntaxException(String message, int offset) {
    super(message, null, false, false);
    this.offset = offset;
  }

  int offset() {
    return offset;
  }
}
