package io.canopy.presence.redis;

/** The Lua scripts; each runs atomically on the Redis server. */
final class Scripts {
  private Scripts() {}

  /** KEYS: lease, fence, gateways. ARGV: gateway, ttl ms. 1 = renewed, 0 = fenced. */
  static final String RENEW = """
      if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      redis.call('SADD', KEYS[3], ARGV[1])
      return 1
      """;

  /** KEYS: gateways. ARGV: key prefix. Registered gateways without a lease. */
  static final String DEAD = """
      local dead = {}
      for _, gw in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if redis.call('EXISTS', ARGV[1] .. '{' .. gw .. '}:lease') == 0 then table.insert(dead, gw) end
      end
      return dead
      """;

  /** KEYS: gateways. ARGV: key prefix. Registered gateways with a lease. */
  static final String LIVE = """
      local live = {}
      for _, gw in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if redis.call('EXISTS', ARGV[1] .. '{' .. gw .. '}:lease') == 1 then table.insert(live, gw) end
      end
      return live
      """;

  /** KEYS: fence, queue index, queue. ARGV: connection, stored write. 1 = added, 0 = fenced. */
  static final String ADD = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('SADD', KEYS[2], ARGV[1])
      redis.call('RPUSH', KEYS[3], ARGV[2])
      return 1
      """;

  /** KEYS: fence, queue index, queue. ARGV: connection, stored writes... 1 = replaced, 0 = fenced. */
  static final String REPLACE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('DEL', KEYS[3])
      if #ARGV > 1 then
        redis.call('SADD', KEYS[2], ARGV[1])
        for i = 2, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
      else
        redis.call('SREM', KEYS[2], ARGV[1])
      end
      return 1
      """;

  /** KEYS: queue index, queue. ARGV: connection. The queue, deleted. */
  static final String DRAIN = """
      local items = redis.call('LRANGE', KEYS[2], 0, -1)
      redis.call('DEL', KEYS[2])
      redis.call('SREM', KEYS[1], ARGV[1])
      return items
      """;

  /**
   * KEYS: lease, fence, queue index, gateways. ARGV: gateway, claimant, fence ttl ms, queue key prefix.
   * Nothing while the lease lives; else {{connection, {writes...}}...}, all deleted, the gateway fenced and
   * unregistered.
   */
  static final String CLAIM = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
      local out = {}
      for _, conn in ipairs(redis.call('SMEMBERS', KEYS[3])) do
        local key = ARGV[4] .. conn
        local items = redis.call('LRANGE', key, 0, -1)
        if #items > 0 then table.insert(out, {conn, items}) end
        redis.call('DEL', key)
      end
      redis.call('DEL', KEYS[3])
      if redis.call('SREM', KEYS[4], ARGV[1]) == 1 then
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
      end
      return out
      """;

  /** KEYS: gateways. ARGV: key prefix. {namespace, count, ...} summed over gateways with a lease. */
  static final String CONNECTIONS = """
      local sum = {}
      for _, gw in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        local base = ARGV[1] .. '{' .. gw .. '}:'
        if redis.call('EXISTS', base .. 'lease') == 1 then
          local h = redis.call('HGETALL', base .. 'conns')
          for i = 1, #h, 2 do sum[h[i]] = (sum[h[i]] or 0) + tonumber(h[i + 1]) end
        end
      end
      local out = {}
      for ns, n in pairs(sum) do
        if n > 0 then table.insert(out, ns); table.insert(out, n) end
      end
      return out
      """;

  /** KEYS: connection counts. ARGV: namespace, +1 or -1. */
  static final String COUNT = """
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
      if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
      return n
      """;

  /**
   * ARGV: window key prefix, count, window ms. {total, ms left}. Windows follow the server's clock (TIME), so
   * every gateway agrees on them.
   */
  static final String RATE = """
      if redis.replicate_commands then redis.replicate_commands() end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local w = tonumber(ARGV[3])
      local index = math.floor(now / w)
      local key = ARGV[1] .. index
      local total = redis.call('INCRBY', key, ARGV[2])
      if total == tonumber(ARGV[2]) then redis.call('PEXPIRE', key, 2 * w) end
      return {total, (index + 1) * w - now}
      """;
}
