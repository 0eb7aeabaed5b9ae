/**
 * Queries over the JSON tree, shared by REST and the realtime pusher: {@link io.canopy.core.query.QuerySpec} is the
 * immutable, canonical query (parsed from the protocol-v5 query object or from REST parameters, or built with the
 * SDK-style builder); {@link io.canopy.core.query.QueryIndex} gives the four orders (priority, key, value, child path)
 * with Firebase's value and key ordering; {@link io.canopy.core.query.QueryEngine} evaluates range and limit windows
 * on a node; {@link io.canopy.core.query.QueryView} keeps one query's result over a changing node and computes the
 * result's child-level changes (added, removed, changed, moved, with previous keys) as the Firebase SDK's event
 * generator does. Everything here is pure: values in, values out, no I/O and no listener bookkeeping.
 */
package io.canopy.core.query;
