-- lock_extend: Reset the lock's time to live, only while it still holds the owner token.
-- KEYS[1] lock: the lock key
-- ARGV[1] token: the owner token
-- ARGV[2] ttl: new time to live in milliseconds, counted from now
-- returns: 1 extended; 0 when the key does not exist (expired); -1 when it holds another token (left untouched)
local token = ARGV[1]
local ttl = tonumber(ARGV[2])

if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR lock_extend: ttl must be a positive integer number of milliseconds')
end

-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.
local current = redis.call('GET', KEYS[1])
if current == false then
  return 0
end
if current ~= token then
  return -1
end

redis.call('PEXPIRE', KEYS[1], ttl)
return 1
