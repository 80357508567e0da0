-- lock_release: Delete the lock only when it still holds the owner token, then announce the release.
-- KEYS[1] lock: the lock key
-- ARGV[1] token: the owner token
-- ARGV[2] channel: pub/sub channel announcing the release (optional; '' or absent = publish nothing)
-- ARGV[3] message: the message to publish (optional; default '')
-- ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
-- returns: 1 released (and published when a channel is given); 0 when the key does not exist (expired); -1 when it holds another token (nothing deleted, nothing published)
local token = ARGV[1]
local channel = ARGV[2] or ''
local message = ARGV[3] or ''
local publishCommand = ARGV[4] or ''

if publishCommand == '' then
  publishCommand = 'publish'
end
if publishCommand ~= 'publish' and publishCommand ~= 'spublish' then
  return redis.error_reply("ERR lock_release: publishCommand must be 'publish' or 'spublish'")
end

-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.
local current = redis.call('GET', KEYS[1])
if current == false then
  return 0
end
if current ~= token then
  return -1
end

redis.call('DEL', KEYS[1])
if channel ~= '' then
  redis.call(publishCommand, channel, message)
end
return 1
