/**
 * Firebase-compatible push ids, the keys {@code push()} and REST {@code POST} create: 20 characters whose first 8
 * encode the creation millisecond and whose last 12 are random, over an ASCII-ordered base-64 alphabet so that
 * lexicographic order is creation order. {@link io.canopy.core.pushid.PushIdGenerator} takes its clock and random
 * source as arguments (deterministic in tests) and guarantees that the ids of one generator strictly increase,
 * even within a millisecond or when the clock steps back; ids from different generators are only roughly
 * time-ordered.
 */
package io.canopy.core.pushid;
