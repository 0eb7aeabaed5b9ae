/**
 * The {@code canopy.changes} consumer and the per-partition buffers of changes not yet in the store, with
 * duplicates dropped by source offset. Knows nothing of connections or views.
 */
package io.canopy.pusher.feed;
