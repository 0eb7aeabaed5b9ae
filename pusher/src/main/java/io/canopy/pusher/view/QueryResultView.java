package io.canopy.pusher.view;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.query.ChildChange;
import io.canopy.core.query.QueryView;
import io.canopy.core.tree.Node;
import io.canopy.pusher.DataPush;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A tagged listen's view: the query's result at its path, maintained by a {@link QueryView} (so a limit window
 * moves as children enter and leave it). When the result changes it pushes the whole new result as a {@code d}
 * at the path: always correct, whatever moved (PROTOCOL §3.3).
 */
public final class QueryResultView extends View {
  private final QueryView query;

  QueryResultView(ViewKey key, Node node) {
    super(key);
    this.query = new QueryView(key.query(), node);
  }

  @Override
  public Node node() {
    return query.node();
  }

  @Override
  public Node value() {
    return query.result();
  }

  @Override
  public List<DataPush> apply(List<Overwrite> overwrites) {
    List<Path> changed = new ArrayList<>(Math.min(overwrites.size(), 8));
    Node old = query.node();
    Node neu = applyToNode(path(), old, overwrites, changed);
    if (changed.isEmpty() || neu == old) {
      return List.of();
    }
    List<ChildChange> changes;
    if (changed.get(0).isRoot()) {
      changes = query.update(neu);
    } else {
      Set<String> keys = new LinkedHashSet<>();
      for (Path rel : changed) {
        keys.add(rel.front());
      }
      changes = query.update(neu, keys);
    }
    if (changes.isEmpty()) {
      return List.of();
    }
    return List.of(DataPush.overwrite(key().namespace(), path(), query.result(), null));
  }
}
