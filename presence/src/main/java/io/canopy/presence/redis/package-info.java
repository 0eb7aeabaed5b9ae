/**
 * The Redis implementations of the presence SPIs (lettuce, one shared connection per
 * {@link io.canopy.presence.redis.RedisClusterState}). Every operation that must be atomic is one Lua script, so
 * a claim and a drain can't both get a queue. Keys (one gateway's keys share a hash tag):
 * <pre>
 * canopy:gateways                 set of registered gateway ids
 * canopy:{gw}:lease               the gateway's lease (PX ttl)
 * canopy:{gw}:fence               set when another gateway claimed its state; blocks renewals and queueing
 * canopy:{gw}:od                  set of connection ids with an onDisconnect queue
 * canopy:{gw}:od:&lt;connection&gt;     list of queued writes (canopy.writes records, see QueuedWrites)
 * canopy:{gw}:conns               hash namespace → open connections
 * canopy:rate:{ns}:&lt;ms&gt;:&lt;index&gt;  a rate window's count (PX two windows)
 * </pre>
 * The scripts derive some keys inside Lua (a gateway's keys from the registry): fine on a standalone Redis (or a
 * primary with replicas / Sentinel), not on Redis Cluster.
 */
package io.canopy.presence.redis;
