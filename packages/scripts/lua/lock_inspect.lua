-- lock_inspect: Report a lock's remaining time, its fencing counter and whether it holds a given value.
-- KEYS[1] lock: the lock key
-- KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)
-- ARGV[1] expected: value to compare with the stored one (optional; '' or absent = do not compare)
-- returns: {pttl, fence, matches}: pttl of KEYS[1] (-2 missing, -1 no expiry); fence = counter value or 0; matches = 1 when ARGV[1] is given and equals the stored value, else 0. Never returns the stored value itself.
local expected = ARGV[1] or ''

local pttl = redis.call('PTTL', KEYS[1])

local fence = 0
if #KEYS >= 2 then
  local counter = redis.call('GET', KEYS[2])
  if counter then
    fence = tonumber(counter)
  end
end

local matches = 0
if expected ~= '' and pttl ~= -2 then
  -- Only compared when asked, so inspecting without a value works on any key type.
  if redis.call('GET', KEYS[1]) == expected then
    matches = 1
  end
end

return {pttl, fence, matches}
