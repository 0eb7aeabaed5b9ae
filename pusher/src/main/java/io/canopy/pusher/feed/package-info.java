/**
 * The {@code canopy.changes} consumer and the per-partition buffers of changes not yet in the store, with
 * duplicates dropped by source offset. Its one thread also runs the tasks its owner submits, so the owner's state
 * (the pusher's views) lives on that thread. Knows nothing of connections or views.
 */
package io.canopy.pusher.feed;
