-- redfour_acquire: Take a free lock in the redfour/ioredfour layout (a hash with the namespace counter's value as index, plus an owner token).
-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
-- KEYS[2] counter: the namespace counter, `${namespace}index` (never expires)
-- ARGV[1] ttl: time to live in milliseconds
-- ARGV[2] token: the owner token, checked by release and extend next to the index
-- returns: {1, index, ttl} acquired (index = new counter value); {0, -1, pttl} held by anyone (pttl of the holder, -1 without expiry)
local ttl = tonumber(ARGV[1])
local token = ARGV[2]

if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR redfour_acquire: ttl must be a positive integer number of milliseconds')
end
if not token or token == '' then
  return redis.error_reply('ERR redfour_acquire: token must be a non-empty string')
end

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, -1, redis.call('PTTL', KEYS[1])}
end

-- The counter is shared by the namespace and never deleted, as in redfour.
local index = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'index', index, 'token', token)
redis.call('PEXPIRE', KEYS[1], ttl)
return {1, index, ttl}
