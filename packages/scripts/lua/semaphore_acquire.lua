-- semaphore_acquire: Take a free semaphore lock (a hash of owner token and fencing index), or join the resource's FIFO queue.
-- KEYS[1] lock: the lock hash (fields token and index)
-- KEYS[2] fence: the resource's fencing counter
-- KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])
-- KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])
-- ARGV[1] token: the owner token
-- ARGV[2] ttl: time to live in milliseconds
-- ARGV[3] entryTtl: how long a queue entry stays valid without another attempt, in ms (optional; '' or 0 = do not join the queue)
-- ARGV[4] channel: where a hand-off to another waiter is announced (optional; '' = announce nothing)
-- ARGV[5] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
-- ARGV[6] message: appended to a hand-off announcement, e.g. the resource name (optional; default '')
-- ARGV[7] grantChannel: where a hand-off to this waiter is to be announced, kept with its queue entry (optional; '' = on the channel of whoever hands over)
-- returns: {1, fencingToken, ttl} acquired (also when this token was already handed the lock: its ttl is set to ttl again, a write that WAIT can confirm); {0, pttl} held by another token (-1 without expiry). In fair mode a free lock goes to the first live queue entry, announced as 'token\nfence\nttl\nmessage' on that entry's grant channel (or on channel)
local token = ARGV[1]
local ttl = tonumber(ARGV[2])
local entryTtl = tonumber(ARGV[3] or '') or 0
local channel = ARGV[4] or ''
local publishCommand = ARGV[5] or ''
local message = ARGV[6] or ''
local grantChannel = ARGV[7] or ''

if not token or token == '' then
  return redis.error_reply('ERR semaphore_acquire: token must be a non-empty string')
end
if not ttl or ttl < 1 or ttl % 1 ~= 0 then
  return redis.error_reply('ERR semaphore_acquire: ttl must be a positive integer number of milliseconds')
end
if entryTtl < 0 or entryTtl % 1 ~= 0 then
  return redis.error_reply('ERR semaphore_acquire: entryTtl must be a non-negative integer number of milliseconds')
end
if publishCommand == '' then
  publishCommand = 'publish'
end
if publishCommand ~= 'publish' and publishCommand ~= 'spublish' then
  return redis.error_reply("ERR semaphore_acquire: publishCommand must be 'publish' or 'spublish'")
end

local fair = #KEYS >= 4

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Drops the queue keys once no entry is left (stale list entries go with them).
local function cleanup()
  if redis.call('HLEN', KEYS[4]) == 0 then
    redis.call('DEL', KEYS[3], KEYS[4])
  end
end

-- The first live entry of the queue (dead or stale entries in front of it are removed): its token, ttl and
-- grant channel, or nil.
local function firstLive(now)
  while true do
    local head = redis.call('LINDEX', KEYS[3], 0)
    if not head then
      return nil
    end
    local entry = redis.call('HGET', KEYS[4], head)
    if entry then
      local expiresAt, entryLockTtl, entryChannel = string.match(entry, '^(%d+):(%d+):?(.*)$')
      if expiresAt and tonumber(expiresAt) > now then
        return head, tonumber(entryLockTtl), entryChannel
      end
      redis.call('HDEL', KEYS[4], head)
    end
    redis.call('LPOP', KEYS[3])
  end
end

-- Joins the queue, or refreshes this token's entry (keeping its place).
local function enqueue(now)
  -- HSET answers 1 only for a new field: a token joins the list once.
  if redis.call('HSET', KEYS[4], token, (now + entryTtl) .. ':' .. ttl .. ':' .. grantChannel) == 1 then
    redis.call('RPUSH', KEYS[3], token)
  end
  -- The queue keys outlive every entry, never longer.
  if redis.call('PTTL', KEYS[4]) < entryTtl then
    redis.call('PEXPIRE', KEYS[4], entryTtl)
    redis.call('PEXPIRE', KEYS[3], entryTtl)
  end
end

-- EXISTS first: a key of another layout counts as held; HGET then raises WRONGTYPE for a non-hash key.
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'token') == token then
    -- Handed over earlier: the ttl starts again now. Being a write, it also lets WAIT (sent after this
    -- script on the same connection) confirm the hand-off, which another connection wrote.
    redis.call('PEXPIRE', KEYS[1], ttl)
    return {1, tonumber(redis.call('HGET', KEYS[1], 'index')), ttl}
  end
  if fair and entryTtl > 0 then
    enqueue(nowMs())
  end
  return {0, redis.call('PTTL', KEYS[1])}
end

-- An empty queue has no entries either (entries leave the hash when they leave the list), so the common
-- uncontended path skips the queue bookkeeping.
if fair and redis.call('LLEN', KEYS[3]) > 0 then
  local now = nowMs()
  local head, headTtl, headChannel = firstLive(now)
  if head and head ~= token then
    -- The lock expired with waiters queued: it belongs to the first of them, not to this caller.
    local index = redis.call('INCR', KEYS[2])
    redis.call('HSET', KEYS[1], 'token', head, 'index', index)
    redis.call('PEXPIRE', KEYS[1], headTtl)
    redis.call('LPOP', KEYS[3])
    redis.call('HDEL', KEYS[4], head)
    if channel ~= '' then
      local to = headChannel ~= '' and headChannel or channel
      redis.call(publishCommand, to, head .. '\n' .. index .. '\n' .. headTtl .. '\n' .. message)
    end
    if entryTtl > 0 then
      enqueue(now)
    end
    cleanup()
    return {0, headTtl}
  end
  if head then
    redis.call('LPOP', KEYS[3])
  end
  redis.call('HDEL', KEYS[4], token)
  cleanup()
end

-- The counter is never deleted: it must keep increasing across lock lifetimes.
local index = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', token, 'index', index)
redis.call('PEXPIRE', KEYS[1], ttl)
return {1, index, ttl}
