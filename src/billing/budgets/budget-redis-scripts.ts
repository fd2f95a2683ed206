/**
 * Lua scripts for budget spend shared by replicas through Redis. Each runs atomically on the server, so the check of
 * every applicable budget and the reservation on all of them happen with no other replica in between, and each reads
 * the server's clock (TIME) for reservation leases, so replicas with skewed clocks agree on when one lapses.
 *
 * Per budget and period three keys (all of one account share a hash tag, so a request's budgets sit in one Cluster
 * slot): `s` a hash with `spent` (settled USD) and `reserved` (worst-case USD of admitted, unsettled requests), `r` a
 * sorted set of reservations (member: request id, score: lease expiry), `a` a hash of each reservation's amount. A
 * replica renews its leases while a request runs; one that dies stops renewing, and its reservations lapse instead of
 * holding the budget shut until the period ends.
 *
 * Money is kept as Lua doubles (HINCRBYFLOAT): a budget is at most $1e9, far inside a double's exact range at the
 * micro-dollar precision prices have.
 */

// The time, and the eviction of lapsed reservations from one budget (their amounts leave `reserved`).
// HMGET/HDEL take the ids in chunks: Lua's unpack() is limited to a few thousand values.
const PROLOGUE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function evict(s, r, a)
  local old = redis.call('ZRANGEBYSCORE', r, '-inf', now)
  if #old > 0 then
    local freed = 0
    for i = 1, #old, 500 do
      local chunk = {}
      for j = i, math.min(i + 499, #old) do chunk[#chunk + 1] = old[j] end
      local vals = redis.call('HMGET', a, unpack(chunk))
      for _, v in ipairs(vals) do if v then freed = freed + tonumber(v) end end
      redis.call('HDEL', a, unpack(chunk))
    end
    redis.call('ZREMRANGEBYSCORE', r, '-inf', now)
    redis.call('HINCRBYFLOAT', s, 'reserved', string.format('%.12f', -freed))
  end
  -- Float subtraction leaves crumbs (1e-17): with nothing reserved, nothing is.
  if redis.call('ZCARD', r) == 0 then redis.call('HSET', s, 'reserved', 0) end
end
`;

/**
 * KEYS s r a per budget; ARGV n, worst, id, leaseMs, then per budget: amount, action (0 none, 1 deny, 2 route),
 * worst cost if this budget's route is taken, seed (the replica's spend when Redis has none yet), expireAtMs.
 * Returns {0, i, committed} when budget i (from 1) is a DENY budget already used up, else {1, route, worst} with
 * route the ROUTE budget (from 1) whose model the request goes to, or 0, and the amount reserved on every budget.
 */
export const BUDGET_RESERVE_LUA = `${PROLOGUE}
local n = tonumber(ARGV[1])
local worst = tonumber(ARGV[2])
local id = ARGV[3]
local lease = tonumber(ARGV[4])
local route = 0
for i = 1, n do
  local s, r, a = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local o = 4 + (i - 1) * 5
  local amount, action, routed, seed, exp = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), ARGV[o + 4], tonumber(ARGV[o + 5])
  redis.call('HSETNX', s, 'spent', seed)
  redis.call('PEXPIREAT', s, exp)
  evict(s, r, a)
  local v = redis.call('HMGET', s, 'spent', 'reserved')
  local committed = tonumber(v[1]) + tonumber(v[2] or '0')
  if committed >= amount then
    if action == 1 then return {0, i, tostring(committed)} end
    if action == 2 and route == 0 then route = i; worst = routed end
  end
end
for i = 1, n do
  local s, r, a = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local exp = tonumber(ARGV[4 + (i - 1) * 5 + 5])
  redis.call('ZADD', r, now + lease, id)
  redis.call('HSET', a, id, string.format('%.12f', worst))
  redis.call('HINCRBYFLOAT', s, 'reserved', string.format('%.12f', worst))
  redis.call('PEXPIREAT', r, exp)
  redis.call('PEXPIREAT', a, exp)
end
return {1, route, tostring(worst)}
`;

/**
 * KEYS s r a per budget; ARGV n, id, costUsd, cancel (1: the request never ran). Swaps the reservation for the cost
 * (a reservation that already lapsed is simply gone) and returns each budget's spend after it, as strings; a period
 * whose keys expired is not revived.
 */
export const BUDGET_SETTLE_LUA = `
local n = tonumber(ARGV[1])
local id = ARGV[2]
local cost = tonumber(ARGV[3])
local cancel = ARGV[4] == '1'
local out = {}
for i = 1, n do
  local s, r, a = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  if redis.call('ZREM', r, id) == 1 then
    local v = redis.call('HGET', a, id)
    redis.call('HDEL', a, id)
    if v then redis.call('HINCRBYFLOAT', s, 'reserved', string.format('%.12f', -tonumber(v))) end
    if redis.call('ZCARD', r) == 0 then redis.call('HSET', s, 'reserved', 0) end
  end
  if not cancel and cost > 0 and redis.call('EXISTS', s) == 1 then
    out[i] = redis.call('HINCRBYFLOAT', s, 'spent', ARGV[3])
  else
    out[i] = redis.call('HGET', s, 'spent') or '0'
  end
end
return out
`;

/**
 * KEYS s r a; ARGV floor, expireAtMs. Raises the spend to at least `floor` (the store's record: a Redis that lost
 * its data, or increments lost while it was unreachable, heal at the next sync) and returns {spent, reserved}.
 */
export const BUDGET_SYNC_LUA = `${PROLOGUE}
local floor = tonumber(ARGV[1])
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '-1')
if spent < floor then redis.call('HSET', KEYS[1], 'spent', ARGV[1]); spent = floor end
redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[2]))
evict(KEYS[1], KEYS[2], KEYS[3])
return {tostring(spent), redis.call('HGET', KEYS[1], 'reserved') or '0'}
`;

/** KEYS r; ARGV leaseMs, id…: pushes the lease of reservations this replica still holds (XX: never revives a settled one). */
export const BUDGET_RENEW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
return 1
`;
