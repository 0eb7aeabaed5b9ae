/**
 * Materialized views: one per (namespace, path, query), holding the data at its path (or its query result) and
 * turning each change into the pushes its listeners need. Pure computation: views return pushes as values and
 * never touch sessions or sockets; who gets them is decided by the pusher, how they leave by {@code .delivery}.
 */
package io.canopy.pusher.view;
