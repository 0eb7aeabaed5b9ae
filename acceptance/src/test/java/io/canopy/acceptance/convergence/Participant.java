package io.canopy.acceptance.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One convergence client as the test sees it once its ops are done. */
interface Participant {
  String id();

  /** Its local copy of the whole namespace, canonical (see {@code Json.canonical}). */
  JsonNode tree();

  /** The distinct {@code /hot/seq} values it observed, in order. */
  List<String> hotSeqs();

  /** Transactions on /counter it saw committed. */
  int committedCounter();

  int ops();

  /** Failed operations (transactions that hit maxretry excepted), with the reason. */
  List<String> errors();
}
