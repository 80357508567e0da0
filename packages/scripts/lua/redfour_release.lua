-- redfour_release: Delete a redfour/ioredfour lock when the caller owns it, then publish the lock key on the release channel.
-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
-- ARGV[1] index: the index the caller was granted
-- ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)
-- ARGV[3] channel: the release channel, e.g. `${namespace}-release`
-- ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
-- returns: 1 released (the lock key was published on the channel); 0 the lock did not exist (expired); -1 conflict: the lock holds another index or token (untouched; its index is not revealed)
local index = ARGV[1]
local token = ARGV[2] or ''
local channel = ARGV[3] or ''
local publishCommand = ARGV[4] or ''

if publishCommand == '' then
  publishCommand = 'publish'
end
if publishCommand ~= 'publish' and publishCommand ~= 'spublish' then
  return redis.error_reply("ERR redfour_release: publishCommand must be 'publish' or 'spublish'")
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
-- HMGET raises WRONGTYPE for a non-hash key; that error is meant to reach the caller.
local stored = redis.call('HMGET', KEYS[1], 'index', 'token')
if not stored[1] or tonumber(stored[1]) ~= tonumber(index) then
  return -1
end
-- A lock written by the original library has no token: its index is all there is to compare.
if stored[2] and stored[2] ~= token then
  return -1
end

redis.call('DEL', KEYS[1])
if channel ~= '' then
  redis.call(publishCommand, channel, KEYS[1])
end
return 1
