package io.canopy.core.rules;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;

/** A rules document that cannot be compiled; the message names the rule, its path, line and column (1-based). */
public final class RulesParseException extends CanopyException {
  private final int line;
  private final int column;

  RulesParseException(String message, int line, int column) {
    super(ErrorCode.INVALID_DATA, message);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
