package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.Map;

/** One message from a client, as {@link MessageParser} understood it. Wire-level values only: nothing resolved. */
sealed interface ClientMessage {

  /** A control message ({@code {"t":"c","d":{"t":type,...}}}); {@code p} is the JS client's health ping. */
  record Control(String type) implements ClientMessage {}

  /**
   * A request ({@code {"t":"d","d":{"r":r,"a":action,"b":{...}}}}) with the body fields the actions use. Absent
   * fields are null.
   *
   * @param path {@code b.p}, unparsed
   * @param hash {@code b.h}: the expected hash of a compare-and-set put ({@code ""} = absent), or a listen's hash
   * @param tag {@code b.t}: a tagged listen's tag
   * @param query {@code b.q}: the query object, as parsed JSON
   * @param data {@code b.d} of {@code p} and {@code o} (null when absent; an empty node when JSON null)
   * @param update {@code b.d} of {@code m} and {@code om}: relative path to value
   * @param cred {@code b.cred} of {@code auth} and {@code gauth}: the credential (null when absent or not a string)
   */
  record Request(long r, String action, String path, String hash, Long tag, Map<String, Object> query, Node data,
      Map<Path, Node> update, String cred) implements ClientMessage {

    @Override
    public String toString() {
      // Never log a credential.
      return "Request[r=" + r + ", action=" + action + ", path=" + path + "]";
    }
  }

  /**
   * A message that can't be acted on. With a request number it is answered with the error; without one there is
   * nobody to answer, and it is only logged.
   */
  record Unusable(Long r, ErrorCode code, String message) implements ClientMessage {}
}
