-- lock_acquire: Take a free lock for an owner token and bump the resource's fencing counter.
-- KEYS[1] lock: the lock key
-- KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)
-- ARGV[1] token: the owner token
-- ARGV[2] ttl: time to live in milliseconds
-- ARGV[3] idempotent: '1' when the token is random and unique to this acquire, so finding it already on the key means our own earlier send landed (optional; default: not)
-- returns: {1, fencingToken} when acquired (0 without KEYS[2]), also, when idempotent, if the key already holds this token (a resent acquire whose first reply was lost: ttl re-set, same fencingToken); {0, pttl} when held
local token = ARGV[1]
local ttl = tonumber(ARGV[2])
local idempotent = ARGV[3] == '1'

if not token or token == '' then
  return redis.error_reply('ERR lock_acquire: token must be a non-empty string')
end
if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR lock_acquire: ttl must be a positive integer number of milliseconds')
end

-- SET NX PX is the whole acquisition: it either creates the key with its expiry or does nothing.
if redis.call('SET', KEYS[1], token, 'NX', 'PX', ttl) then
  local fence = 0
  if #KEYS >= 2 then
    -- The counter is never deleted: it must keep increasing across lock lifetimes.
    fence = redis.call('INCR', KEYS[2])
  end
  return {1, fence}
end

-- Already ours (random tokens only): a client resent this acquire after losing the first reply, as
-- ioredis does on reconnect.
-- Answering "held" would strand our own token on the key for a whole ttl, so the retry succeeds too,
-- with the fencing token the first execution issued (no one else was granted since: we hold the key).
if idempotent and redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == token then
  redis.call('PEXPIRE', KEYS[1], ttl)
  local fence = 0
  if #KEYS >= 2 then
    fence = tonumber(redis.call('GET', KEYS[2]) or '0')
  end
  return {1, fence}
end

-- Held by someone else: report the remaining time (-1 when the holder set no expiry).
return {0, redis.call('PTTL', KEYS[1])}
