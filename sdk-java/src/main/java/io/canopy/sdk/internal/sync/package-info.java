/**
 * The client's synchronisation logic: {@link io.canopy.sdk.internal.sync.Repo} (views, caches, pending writes,
 * transactions, {@code .info} and event generation, all on the event thread), {@link
 * io.canopy.sdk.internal.sync.WriteTree} (the pending writes and their combined effect) and the per-(location, query)
 * views, whose child events come from core's {@code QueryView}, the code the server orders query results with. No
 * sockets or JSON here: the connection layer below speaks paths and trees.
 */
package io.canopy.sdk.internal.sync;
