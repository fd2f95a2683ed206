import { CONCURRENCY_RETRY_MS } from './rate-limiter.js';

/**
 * The Redis limiter's Lua scripts. Each runs atomically on the server, so replicas never interleave between a check
 * and its reservation, and each reads the server's clock (TIME), so replicas with skewed clocks still agree on the
 * window. Keys of one bucket share a hash tag (`{…}`) so the scripts also run on Redis Cluster.
 *
 * Per bucket: `w` a sorted set of the window's admissions (member: ticket id, score: admission time), `k` a hash of
 * each admission's tokens, `n` their sum, `c` a sorted set of concurrency slots (score: lease expiry).
 */

// Shared prologue: the time, and the eviction of admissions older than the window (their tokens leave the sum).
// HMGET/HDEL take the ids in chunks: Lua's unpack() is limited to a few thousand values.
const PROLOGUE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local function evict()
  local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if #old == 0 then return end
  local freed = 0
  for i = 1, #old, 500 do
    local chunk = {}
    for j = i, math.min(i + 499, #old) do chunk[#chunk + 1] = old[j] end
    local vals = redis.call('HMGET', KEYS[2], unpack(chunk))
    for _, v in ipairs(vals) do if v then freed = freed + tonumber(v) end end
    redis.call('HDEL', KEYS[2], unpack(chunk))
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if freed ~= 0 then redis.call('DECRBY', KEYS[3], freed) end
end
local function touch()
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  redis.call('PEXPIRE', KEYS[2], window + 1000)
  redis.call('PEXPIRE', KEYS[3], window + 1000)
end
`;

/**
 * KEYS w k n c; ARGV window, rpm, tpm, concurrency (-1: unlimited), tokens, id, leaseMs.
 * Returns {1} when admitted, or {0, limit, retryAfterMs} with limit 1 = requests, 2 = tokens, 3 = concurrency.
 */
export const ACQUIRE_LUA = `${PROLOGUE}
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local conc = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local id = ARGV[6]
local lease = tonumber(ARGV[7])
local logged = rpm >= 0 or tpm >= 0
if logged then evict() end
local refused = 0
local retry = 0
local function refuse(which, ms)
  if refused == 0 or ms > retry then refused = which; retry = ms end
end
if rpm >= 0 then
  local count = redis.call('ZCARD', KEYS[1])
  if count >= rpm then
    -- The (count - rpm + 1)th oldest admission is the one whose expiry brings the count under the limit.
    local e = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
    refuse(1, (e[2] and tonumber(e[2]) or now) + window - now)
  end
end
if tpm >= 0 then
  local sum = tonumber(redis.call('GET', KEYS[3]) or '0')
  if sum + tokens > tpm then
    local at = nil
    if tokens <= tpm then
      local start = 0
      while at == nil do
        local ids = redis.call('ZRANGE', KEYS[1], start, start + 199, 'WITHSCORES')
        if #ids == 0 then break end
        local members = {}
        for i = 1, #ids, 2 do members[#members + 1] = ids[i] end
        local vals = redis.call('HMGET', KEYS[2], unpack(members))
        for i, v in ipairs(vals) do
          sum = sum - (v and tonumber(v) or 0)
          if sum + tokens <= tpm then at = tonumber(ids[2 * i]); break end
        end
        start = start + 200
      end
    end
    refuse(2, at and (at + window - now) or window)
  end
end
if conc >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  if redis.call('ZCARD', KEYS[4]) >= conc then refuse(3, ${CONCURRENCY_RETRY_MS}) end
end
if refused ~= 0 then return {0, refused, math.max(1, retry)} end
if logged then
  redis.call('ZADD', KEYS[1], now, id)
  if tpm >= 0 then
    redis.call('HSET', KEYS[2], id, tokens)
    redis.call('INCRBY', KEYS[3], tokens)
  end
  touch()
end
if conc >= 0 then
  redis.call('ZADD', KEYS[4], now + lease, id)
  redis.call('PEXPIRE', KEYS[4], lease * 2)
end
return {1}
`;

/**
 * KEYS w k n c; ARGV window, id, tokens (-1: leave as reserved), cancel (1/0), slot (1/0).
 * Tokens change only while the admission is still in the window: one that aged out is no longer counted.
 */
export const RELEASE_LUA = `${PROLOGUE}
local id = ARGV[2]
local tokens = tonumber(ARGV[3])
if ARGV[5] == '1' then redis.call('ZREM', KEYS[4], id) end
if ARGV[4] == '1' then
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local v = redis.call('HGET', KEYS[2], id)
    if v then
      redis.call('HDEL', KEYS[2], id)
      redis.call('DECRBY', KEYS[3], tonumber(v))
    end
  end
  return 1
end
if tokens >= 0 and redis.call('ZSCORE', KEYS[1], id) then
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    redis.call('HSET', KEYS[2], id, tokens)
    redis.call('INCRBY', KEYS[3], tokens - tonumber(v))
    touch()
  end
end
return 1
`;

/** KEYS c; ARGV leaseMs, id…: pushes the expiry of slots this replica still holds (XX: never revives a released one). */
export const RENEW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1
`;
