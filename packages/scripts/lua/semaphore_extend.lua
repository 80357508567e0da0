-- semaphore_extend: Set a semaphore lock's time to live, only when it holds the owner token.
-- KEYS[1] lock: the lock hash (fields token and index)
-- ARGV[1] token: the owner token
-- ARGV[2] ttl: new time to live in milliseconds, from now
-- returns: 1 extended (PEXPIRE lock ttl; may also shorten); 0 the lock does not exist; -1 another token holds it (untouched). WRONGTYPE surfaces
local token = ARGV[1]
local ttl = tonumber(ARGV[2])

if not token or token == '' then
  return redis.error_reply('ERR semaphore_extend: token must be a non-empty string')
end
if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR semaphore_extend: ttl must be a positive integer number of milliseconds')
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if redis.call('HGET', KEYS[1], 'token') ~= token then
  return -1
end
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
