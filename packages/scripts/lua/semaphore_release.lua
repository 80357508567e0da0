-- semaphore_release: Delete a semaphore lock only when it holds the owner token; announce the release or hand the lock to the first live waiter.
-- KEYS[1] lock: the lock hash (fields token and index)
-- KEYS[2] fence: the resource's fencing counter
-- KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])
-- KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])
-- ARGV[1] token: the owner token (in fair mode it also leaves the queue, so a waiter that gives up calls this too)
-- ARGV[2] channel: where the release or hand-off is announced (optional; '' = announce nothing)
-- ARGV[3] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
-- ARGV[4] message: appended to every announcement, e.g. the resource name (optional; default '')
-- returns: 1 released; 0 the lock did not exist (expired); -1 another token holds it (untouched, nothing announced). After 1 or 0 in fair mode a free lock goes to the first live waiter, announced as 'token\nfence\nttl\nmessage' on the waiter's grant channel (or on channel); otherwise a release is announced as '\n\n\nmessage'
local token = ARGV[1]
local channel = ARGV[2] or ''
local publishCommand = ARGV[3] or ''
local message = ARGV[4] or ''

if not token or token == '' then
  return redis.error_reply('ERR semaphore_release: token must be a non-empty string')
end
if publishCommand == '' then
  publishCommand = 'publish'
end
if publishCommand ~= 'publish' and publishCommand ~= 'spublish' then
  return redis.error_reply("ERR semaphore_release: publishCommand must be 'publish' or 'spublish'")
end

local fair = #KEYS >= 4

-- HGET first (one call on the common path); it raises WRONGTYPE for a non-hash key, an error meant to reach
-- the caller. A hash without a token field is a lock of another layout: never ours.
-- The lock itself is deleted last: a hand-off overwrites it instead.
local result = 0
local owner = redis.call('HGET', KEYS[1], 'token')
if owner == token then
  result = 1
elseif owner or redis.call('EXISTS', KEYS[1]) == 1 then
  result = -1
end

if fair then
  -- A holder has no queue entry (it left the queue when it got the lock); a waiter giving up has one.
  if result ~= 1 then
    redis.call('HDEL', KEYS[4], token)
  end
  if result ~= -1 then
    local now
    while true do
      local head = redis.call('LPOP', KEYS[3])
      if not head then
        break
      end
      local entry = redis.call('HGET', KEYS[4], head)
      if entry then
        redis.call('HDEL', KEYS[4], head)
        local expiresAt, headTtl, headChannel = string.match(entry, '^(%d+):(%d+):?(.*)$')
        if not now then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        if expiresAt and tonumber(expiresAt) > now then
          -- Direct hand-off: the first live waiter holds the lock from now on.
          local index = redis.call('INCR', KEYS[2])
          redis.call('HSET', KEYS[1], 'token', head, 'index', index)
          redis.call('PEXPIRE', KEYS[1], tonumber(headTtl))
          if redis.call('HLEN', KEYS[4]) == 0 then
            redis.call('DEL', KEYS[3], KEYS[4])
          end
          if channel ~= '' then
            local to = headChannel ~= '' and headChannel or channel
            redis.call(publishCommand, to, head .. '\n' .. index .. '\n' .. headTtl .. '\n' .. message)
          end
          return result
        end
      end
    end
  end
  if redis.call('HLEN', KEYS[4]) == 0 then
    redis.call('DEL', KEYS[3], KEYS[4])
  end
end

if result == 1 then
  redis.call('DEL', KEYS[1])
  if channel ~= '' then
    redis.call(publishCommand, channel, '\n\n\n' .. message)
  end
end
return result
