-- redfour_extend: Set a redfour/ioredfour lock's time to live when the caller owns it.
-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
-- ARGV[1] index: the index the caller was granted
-- ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)
-- ARGV[3] ttl: new time to live in milliseconds, from now
-- returns: 1 extended; 0 the lock does not exist; -1 conflict: the lock holds another index or token (untouched)
local index = ARGV[1]
local token = ARGV[2] or ''
local ttl = tonumber(ARGV[3])

if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR redfour_extend: ttl must be a positive integer number of milliseconds')
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local stored = redis.call('HMGET', KEYS[1], 'index', 'token')
if not stored[1] or tonumber(stored[1]) ~= tonumber(index) then
  return -1
end
if stored[2] and stored[2] ~= token then
  return -1
end
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
