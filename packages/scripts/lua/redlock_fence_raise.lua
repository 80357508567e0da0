-- redlock_fence_raise: Raise a node's fencing counter to at least a token issued by a Redlock quorum.
-- KEYS[1] fence: the fencing counter
-- ARGV[1] floor: the issued fencing token (a non-negative integer)
-- returns: the counter's value afterwards (never lower than before: counters only grow)
local floor = tonumber(ARGV[1])

if not floor or floor < 0 or floor % 1 ~= 0 then
  return redis.error_reply('ERR redlock_fence_raise: floor must be a non-negative integer')
end

-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if not current then
  return redis.error_reply('ERR redlock_fence_raise: the fencing counter does not hold an integer')
end
if current >= floor then
  return current
end

redis.call('SET', KEYS[1], floor)
return floor
