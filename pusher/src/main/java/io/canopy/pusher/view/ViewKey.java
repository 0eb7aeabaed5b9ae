package io.canopy.pusher.view;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import java.util.Objects;

/**
 * What identifies a view: namespace, path and query. A query that loads all data (no range, no limit: an
 * {@code orderBy} alone) is the default query, as the SDKs send such listens as default listens anyway.
 */
public record ViewKey(String namespace, Path path, QuerySpec query) {
  public ViewKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(path, "path");
    query = query == null || query.isDefault() ? QuerySpec.DEFAULT : query;
  }

  /** True for a default (untagged, whole-value) view. */
  public boolean isDefault() {
    return query == QuerySpec.DEFAULT;
  }
}
