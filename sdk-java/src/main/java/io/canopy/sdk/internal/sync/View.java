package io.canopy.sdk.internal.sync;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.query.QueryView;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's cache of one listened (location, query): the server's data for it (for a query with a range or limit,
 * the server's query result, kept current by tagged pushes), and the {@link QueryView} of what the listeners see
 * (server data plus pending writes), which computes the child events with the same ordering code as the server.
 */
final class View {
  final Path path;
  final QuerySpec spec;
  /** True for {@code .info} locations: local data, no listen. */
  final boolean info;
  /** The tag of a query listen, null for a default one. */
  final Long tag;
  final List<ListenerHandle> listeners = new ArrayList<>();
  /** The server's data here (a query result for tagged views). */
  Node serverNode = Node.empty();
  /** True once the server sent the complete data (or answered the listen). */
  boolean serverComplete;
  /** The visible result, null until the first refresh. */
  QueryView events;
  /** True once the initial events were raised. */
  boolean initialized;
  Node lastResult;

  View(Path path, QuerySpec spec, boolean info, Long tag) {
    this.path = path;
    this.spec = spec;
    this.info = info;
    this.tag = tag;
  }

  /** True if the server sends this view's data with a tag (a range or limit). */
  boolean tagged() {
    return tag != null;
  }

  @Override
  public String toString() {
    return (info ? "/.info" : "") + path + (spec.isDefault() ? "" : " " + spec);
  }
}
