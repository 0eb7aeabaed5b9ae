package io.canopy.core.rules;

/** A type or evaluation error inside one rule; the evaluator turns it into a denial. */
final class EvaluationException extends RuntimeException {
  EvaluationException(String message) {
    super(message, null, false, false);
  }
}
