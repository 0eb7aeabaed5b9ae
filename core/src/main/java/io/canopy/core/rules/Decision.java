package io.canopy.core.rules;

/**
 * The verdict of one rules check, with enough detail for logs and the debug ({@code sd}) push.
 *
 * @param allowed whether the operation may proceed
 * @param rulePath for a grant, the rule location(s) that granted it (e.g. {@code /users/$uid}); for a denial by
 *     {@code .validate}, the failing rule's location; otherwise null
 * @param reason a human-readable explanation (which rule granted, or why nothing did, including evaluation errors)
 */
public record Decision(boolean allowed, String rulePath, String reason) {

  static Decision granted(String rulePath, String reason) {
    return new Decision(true, rulePath, reason);
  }

  static Decision denied(String rulePath, String reason) {
    return new Decision(false, rulePath, reason);
  }
}
