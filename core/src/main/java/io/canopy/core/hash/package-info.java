/**
 * Firebase's node hash, the compare-and-set token of transactions: a client sends {@code h = hash(its cached
 * value)} with a put and the server applies the put only if the hash of its current value at that path is the
 * same ({@code datastale} otherwise). {@link io.canopy.core.hash.NodeHash} reproduces the SDKs' algorithm bit for
 * bit (PROTOCOL §6.2): base64 SHA-1 over a text of priorities, typed leaf values (numbers as IEEE-754 hex) and
 * child hashes in priority-index order, with {@code ""} for an empty node. Pure functions over trees; no I/O.
 */
package io.canopy.core.hash;
