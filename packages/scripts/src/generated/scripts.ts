// generated — do not edit; run pnpm --filter @redis-locks/scripts generate
// Source of truth: packages/scripts/lua/*.lua. `pnpm --filter @redis-locks/scripts check` fails on drift.

import type { LuaScript } from '../types.js';

/**
 * lock_acquire: Take a free lock for an owner token and bump the resource's fencing counter.
 *
 * KEYS[1] lock: the lock key
 * KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)
 * ARGV[1] token: the owner token
 * ARGV[2] ttl: time to live in milliseconds
 * ARGV[3] idempotent: '1' when the token is random and unique to this acquire, so finding it already on the key means our own earlier send landed (optional; default: not)
 * returns: {1, fencingToken} when acquired (0 without KEYS[2]), also, when idempotent, if the key already holds this token (a resent acquire whose first reply was lost: ttl re-set, same fencingToken); {0, pttl} when held
 */
export const lockAcquire: LuaScript = {
  name: "lock_acquire",
  description: "Take a free lock for an owner token and bump the resource's fencing counter.",
  source: "-- lock_acquire: Take a free lock for an owner token and bump the resource's fencing counter.\n-- KEYS[1] lock: the lock key\n-- KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)\n-- ARGV[1] token: the owner token\n-- ARGV[2] ttl: time to live in milliseconds\n-- ARGV[3] idempotent: '1' when the token is random and unique to this acquire, so finding it already on the key means our own earlier send landed (optional; default: not)\n-- returns: {1, fencingToken} when acquired (0 without KEYS[2]), also, when idempotent, if the key already holds this token (a resent acquire whose first reply was lost: ttl re-set, same fencingToken); {0, pttl} when held\nlocal token = ARGV[1]\nlocal ttl = tonumber(ARGV[2])\nlocal idempotent = ARGV[3] == '1'\n\nif not token or token == '' then\n  return redis.error_reply('ERR lock_acquire: token must be a non-empty string')\nend\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR lock_acquire: ttl must be a positive integer number of milliseconds')\nend\n\n-- SET NX PX is the whole acquisition: it either creates the key with its expiry or does nothing.\nif redis.call('SET', KEYS[1], token, 'NX', 'PX', ttl) then\n  local fence = 0\n  if #KEYS >= 2 then\n    -- The counter is never deleted: it must keep increasing across lock lifetimes.\n    fence = redis.call('INCR', KEYS[2])\n  end\n  return {1, fence}\nend\n\n-- Already ours (random tokens only): a client resent this acquire after losing the first reply, as\n-- ioredis does on reconnect.\n-- Answering \"held\" would strand our own token on the key for a whole ttl, so the retry succeeds too,\n-- with the fencing token the first execution issued (no one else was granted since: we hold the key).\nif idempotent and redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == token then\n  redis.call('PEXPIRE', KEYS[1], ttl)\n  local fence = 0\n  if #KEYS >= 2 then\n    fence = tonumber(redis.call('GET', KEYS[2]) or '0')\n  end\n  return {1, fence}\nend\n\n-- Held by someone else: report the remaining time (-1 when the holder set no expiry).\nreturn {0, redis.call('PTTL', KEYS[1])}\n",
  sha1: "ed6eff65e5e7c5b277e621b9fb030fb1851012ac",
  keys: ["lock", "fence"],
  args: ["token", "ttl", "idempotent"],
  returns: "{1, fencingToken} when acquired (0 without KEYS[2]), also, when idempotent, if the key already holds this token (a resent acquire whose first reply was lost: ttl re-set, same fencingToken); {0, pttl} when held",
};

/**
 * lock_extend: Reset the lock's time to live, only while it still holds the owner token.
 *
 * KEYS[1] lock: the lock key
 * ARGV[1] token: the owner token
 * ARGV[2] ttl: new time to live in milliseconds, counted from now
 * returns: 1 extended; 0 when the key does not exist (expired); -1 when it holds another token (left untouched)
 */
export const lockExtend: LuaScript = {
  name: "lock_extend",
  description: "Reset the lock's time to live, only while it still holds the owner token.",
  source: "-- lock_extend: Reset the lock's time to live, only while it still holds the owner token.\n-- KEYS[1] lock: the lock key\n-- ARGV[1] token: the owner token\n-- ARGV[2] ttl: new time to live in milliseconds, counted from now\n-- returns: 1 extended; 0 when the key does not exist (expired); -1 when it holds another token (left untouched)\nlocal token = ARGV[1]\nlocal ttl = tonumber(ARGV[2])\n\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR lock_extend: ttl must be a positive integer number of milliseconds')\nend\n\n-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.\nlocal current = redis.call('GET', KEYS[1])\nif current == false then\n  return 0\nend\nif current ~= token then\n  return -1\nend\n\nredis.call('PEXPIRE', KEYS[1], ttl)\nreturn 1\n",
  sha1: "fb3add8a39d3acff1cd059f3196dddd578c5d6e8",
  keys: ["lock"],
  args: ["token", "ttl"],
  returns: "1 extended; 0 when the key does not exist (expired); -1 when it holds another token (left untouched)",
};

/**
 * lock_get: Return the value stored in a plain-string lock key, for compat layers whose API returns it.
 *
 * KEYS[1] lock: the lock key
 * returns: the stored value (bulk string), or nil when the key does not exist. Read-only. Only for layouts whose value is not a secret owner token (ac-redislock's getLock); strategies never call it
 */
export const lockGet: LuaScript = {
  name: "lock_get",
  description: "Return the value stored in a plain-string lock key, for compat layers whose API returns it.",
  source: "-- lock_get: Return the value stored in a plain-string lock key, for compat layers whose API returns it.\n-- KEYS[1] lock: the lock key\n-- returns: the stored value (bulk string), or nil when the key does not exist. Read-only. Only for layouts whose value is not a secret owner token (ac-redislock's getLock); strategies never call it\n\n-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.\nreturn redis.call('GET', KEYS[1])\n",
  sha1: "8352acd1dfabe7f74cd1e05e206ff035ff158edc",
  keys: ["lock"],
  args: [],
  returns: "the stored value (bulk string), or nil when the key does not exist. Read-only. Only for layouts whose value is not a secret owner token (ac-redislock's getLock); strategies never call it",
};

/**
 * lock_inspect: Report a lock's remaining time, its fencing counter and whether it holds a given value.
 *
 * KEYS[1] lock: the lock key
 * KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)
 * ARGV[1] expected: value to compare with the stored one (optional; '' or absent = do not compare)
 * returns: {pttl, fence, matches}: pttl of KEYS[1] (-2 missing, -1 no expiry); fence = counter value or 0; matches = 1 when ARGV[1] is given and equals the stored value, else 0. Never returns the stored value itself.
 */
export const lockInspect: LuaScript = {
  name: "lock_inspect",
  description: "Report a lock's remaining time, its fencing counter and whether it holds a given value.",
  source: "-- lock_inspect: Report a lock's remaining time, its fencing counter and whether it holds a given value.\n-- KEYS[1] lock: the lock key\n-- KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)\n-- ARGV[1] expected: value to compare with the stored one (optional; '' or absent = do not compare)\n-- returns: {pttl, fence, matches}: pttl of KEYS[1] (-2 missing, -1 no expiry); fence = counter value or 0; matches = 1 when ARGV[1] is given and equals the stored value, else 0. Never returns the stored value itself.\nlocal expected = ARGV[1] or ''\n\nlocal pttl = redis.call('PTTL', KEYS[1])\n\nlocal fence = 0\nif #KEYS >= 2 then\n  local counter = redis.call('GET', KEYS[2])\n  if counter then\n    fence = tonumber(counter)\n  end\nend\n\nlocal matches = 0\nif expected ~= '' and pttl ~= -2 then\n  -- Only compared when asked, so inspecting without a value works on any key type.\n  if redis.call('GET', KEYS[1]) == expected then\n    matches = 1\n  end\nend\n\nreturn {pttl, fence, matches}\n",
  sha1: "e4b5d05b5b1a1924b58a6524abc02b8bfe7298f3",
  keys: ["lock", "fence"],
  args: ["expected"],
  returns: "{pttl, fence, matches}: pttl of KEYS[1] (-2 missing, -1 no expiry); fence = counter value or 0; matches = 1 when ARGV[1] is given and equals the stored value, else 0. Never returns the stored value itself.",
};

/**
 * lock_release: Delete the lock only when it still holds the owner token, then announce the release.
 *
 * KEYS[1] lock: the lock key
 * ARGV[1] token: the owner token
 * ARGV[2] channel: pub/sub channel announcing the release (optional; '' or absent = publish nothing)
 * ARGV[3] message: the message to publish (optional; default '')
 * ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
 * returns: 1 released (and published when a channel is given); 0 when the key does not exist (expired); -1 when it holds another token (nothing deleted, nothing published)
 */
export const lockRelease: LuaScript = {
  name: "lock_release",
  description: "Delete the lock only when it still holds the owner token, then announce the release.",
  source: "-- lock_release: Delete the lock only when it still holds the owner token, then announce the release.\n-- KEYS[1] lock: the lock key\n-- ARGV[1] token: the owner token\n-- ARGV[2] channel: pub/sub channel announcing the release (optional; '' or absent = publish nothing)\n-- ARGV[3] message: the message to publish (optional; default '')\n-- ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')\n-- returns: 1 released (and published when a channel is given); 0 when the key does not exist (expired); -1 when it holds another token (nothing deleted, nothing published)\nlocal token = ARGV[1]\nlocal channel = ARGV[2] or ''\nlocal message = ARGV[3] or ''\nlocal publishCommand = ARGV[4] or ''\n\nif publishCommand == '' then\n  publishCommand = 'publish'\nend\nif publishCommand ~= 'publish' and publishCommand ~= 'spublish' then\n  return redis.error_reply(\"ERR lock_release: publishCommand must be 'publish' or 'spublish'\")\nend\n\n-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.\nlocal current = redis.call('GET', KEYS[1])\nif current == false then\n  return 0\nend\nif current ~= token then\n  return -1\nend\n\nredis.call('DEL', KEYS[1])\nif channel ~= '' then\n  redis.call(publishCommand, channel, message)\nend\nreturn 1\n",
  sha1: "2299961a9ab4e978672c04386c1866903a36b6ac",
  keys: ["lock"],
  args: ["token", "channel", "message", "publishCommand"],
  returns: "1 released (and published when a channel is given); 0 when the key does not exist (expired); -1 when it holds another token (nothing deleted, nothing published)",
};

/**
 * redfour_acquire: Take a free lock in the redfour/ioredfour layout (a hash with the namespace counter's value as index, plus an owner token).
 *
 * KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
 * KEYS[2] counter: the namespace counter, `${namespace}index` (never expires)
 * ARGV[1] ttl: time to live in milliseconds
 * ARGV[2] token: the owner token, checked by release and extend next to the index
 * returns: {1, index, ttl} acquired (index = new counter value); {0, -1, pttl} held by anyone (pttl of the holder, -1 without expiry)
 */
export const redfourAcquire: LuaScript = {
  name: "redfour_acquire",
  description: "Take a free lock in the redfour/ioredfour layout (a hash with the namespace counter's value as index, plus an owner token).",
  source: "-- redfour_acquire: Take a free lock in the redfour/ioredfour layout (a hash with the namespace counter's value as index, plus an owner token).\n-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)\n-- KEYS[2] counter: the namespace counter, `${namespace}index` (never expires)\n-- ARGV[1] ttl: time to live in milliseconds\n-- ARGV[2] token: the owner token, checked by release and extend next to the index\n-- returns: {1, index, ttl} acquired (index = new counter value); {0, -1, pttl} held by anyone (pttl of the holder, -1 without expiry)\nlocal ttl = tonumber(ARGV[1])\nlocal token = ARGV[2]\n\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR redfour_acquire: ttl must be a positive integer number of milliseconds')\nend\nif not token or token == '' then\n  return redis.error_reply('ERR redfour_acquire: token must be a non-empty string')\nend\n\nif redis.call('EXISTS', KEYS[1]) == 1 then\n  return {0, -1, redis.call('PTTL', KEYS[1])}\nend\n\n-- The counter is shared by the namespace and never deleted, as in redfour.\nlocal index = redis.call('INCR', KEYS[2])\nredis.call('HSET', KEYS[1], 'index', index, 'token', token)\nredis.call('PEXPIRE', KEYS[1], ttl)\nreturn {1, index, ttl}\n",
  sha1: "5034b885bcf624522d71c916c05ea3a893925daa",
  keys: ["lock", "counter"],
  args: ["ttl", "token"],
  returns: "{1, index, ttl} acquired (index = new counter value); {0, -1, pttl} held by anyone (pttl of the holder, -1 without expiry)",
};

/**
 * redfour_extend: Set a redfour/ioredfour lock's time to live when the caller owns it.
 *
 * KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
 * ARGV[1] index: the index the caller was granted
 * ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)
 * ARGV[3] ttl: new time to live in milliseconds, from now
 * returns: 1 extended; 0 the lock does not exist; -1 conflict: the lock holds another index or token (untouched)
 */
export const redfourExtend: LuaScript = {
  name: "redfour_extend",
  description: "Set a redfour/ioredfour lock's time to live when the caller owns it.",
  source: "-- redfour_extend: Set a redfour/ioredfour lock's time to live when the caller owns it.\n-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)\n-- ARGV[1] index: the index the caller was granted\n-- ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)\n-- ARGV[3] ttl: new time to live in milliseconds, from now\n-- returns: 1 extended; 0 the lock does not exist; -1 conflict: the lock holds another index or token (untouched)\nlocal index = ARGV[1]\nlocal token = ARGV[2] or ''\nlocal ttl = tonumber(ARGV[3])\n\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR redfour_extend: ttl must be a positive integer number of milliseconds')\nend\n\nif redis.call('EXISTS', KEYS[1]) == 0 then\n  return 0\nend\nlocal stored = redis.call('HMGET', KEYS[1], 'index', 'token')\nif not stored[1] or tonumber(stored[1]) ~= tonumber(index) then\n  return -1\nend\nif stored[2] and stored[2] ~= token then\n  return -1\nend\nredis.call('PEXPIRE', KEYS[1], ttl)\nreturn 1\n",
  sha1: "60b2d6b66360e823879a64a27b04dc336117ab52",
  keys: ["lock"],
  args: ["index", "token", "ttl"],
  returns: "1 extended; 0 the lock does not exist; -1 conflict: the lock holds another index or token (untouched)",
};

/**
 * redfour_release: Delete a redfour/ioredfour lock when the caller owns it, then publish the lock key on the release channel.
 *
 * KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)
 * ARGV[1] index: the index the caller was granted
 * ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)
 * ARGV[3] channel: the release channel, e.g. `${namespace}-release`
 * ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
 * returns: 1 released (the lock key was published on the channel); 0 the lock did not exist (expired); -1 conflict: the lock holds another index or token (untouched; its index is not revealed)
 */
export const redfourRelease: LuaScript = {
  name: "redfour_release",
  description: "Delete a redfour/ioredfour lock when the caller owns it, then publish the lock key on the release channel.",
  source: "-- redfour_release: Delete a redfour/ioredfour lock when the caller owns it, then publish the lock key on the release channel.\n-- KEYS[1] lock: the lock hash, `${namespace}:${id}` (fields index and token)\n-- ARGV[1] index: the index the caller was granted\n-- ARGV[2] token: the caller's owner token ('' for a lock taken by the original library, which stored none)\n-- ARGV[3] channel: the release channel, e.g. `${namespace}-release`\n-- ARGV[4] publishCommand: 'publish' or 'spublish' (optional; default 'publish')\n-- returns: 1 released (the lock key was published on the channel); 0 the lock did not exist (expired); -1 conflict: the lock holds another index or token (untouched; its index is not revealed)\nlocal index = ARGV[1]\nlocal token = ARGV[2] or ''\nlocal channel = ARGV[3] or ''\nlocal publishCommand = ARGV[4] or ''\n\nif publishCommand == '' then\n  publishCommand = 'publish'\nend\nif publishCommand ~= 'publish' and publishCommand ~= 'spublish' then\n  return redis.error_reply(\"ERR redfour_release: publishCommand must be 'publish' or 'spublish'\")\nend\n\nif redis.call('EXISTS', KEYS[1]) == 0 then\n  return 0\nend\n-- HMGET raises WRONGTYPE for a non-hash key; that error is meant to reach the caller.\nlocal stored = redis.call('HMGET', KEYS[1], 'index', 'token')\nif not stored[1] or tonumber(stored[1]) ~= tonumber(index) then\n  return -1\nend\n-- A lock written by the original library has no token: its index is all there is to compare.\nif stored[2] and stored[2] ~= token then\n  return -1\nend\n\nredis.call('DEL', KEYS[1])\nif channel ~= '' then\n  redis.call(publishCommand, channel, KEYS[1])\nend\nreturn 1\n",
  sha1: "961fcc9afde0d6dcec0ba60ccc39d3585d6c5242",
  keys: ["lock"],
  args: ["index", "token", "channel", "publishCommand"],
  returns: "1 released (the lock key was published on the channel); 0 the lock did not exist (expired); -1 conflict: the lock holds another index or token (untouched; its index is not revealed)",
};

/**
 * redlock_fence_raise: Raise a node's fencing counter to at least a token issued by a Redlock quorum.
 *
 * KEYS[1] fence: the fencing counter
 * ARGV[1] floor: the issued fencing token (a non-negative integer)
 * returns: the counter's value afterwards (never lower than before: counters only grow)
 */
export const redlockFenceRaise: LuaScript = {
  name: "redlock_fence_raise",
  description: "Raise a node's fencing counter to at least a token issued by a Redlock quorum.",
  source: "-- redlock_fence_raise: Raise a node's fencing counter to at least a token issued by a Redlock quorum.\n-- KEYS[1] fence: the fencing counter\n-- ARGV[1] floor: the issued fencing token (a non-negative integer)\n-- returns: the counter's value afterwards (never lower than before: counters only grow)\nlocal floor = tonumber(ARGV[1])\n\nif not floor or floor < 0 or floor % 1 ~= 0 then\n  return redis.error_reply('ERR redlock_fence_raise: floor must be a non-negative integer')\nend\n\n-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.\nlocal current = tonumber(redis.call('GET', KEYS[1]) or '0')\nif not current then\n  return redis.error_reply('ERR redlock_fence_raise: the fencing counter does not hold an integer')\nend\nif current >= floor then\n  return current\nend\n\nredis.call('SET', KEYS[1], floor)\nreturn floor\n",
  sha1: "31699eb2ee65f34d374ef4e492ceb622d303cbb4",
  keys: ["fence"],
  args: ["floor"],
  returns: "the counter's value afterwards (never lower than before: counters only grow)",
};

/**
 * semaphore_acquire: Take a free semaphore lock (a hash of owner token and fencing index), or join the resource's FIFO queue.
 *
 * KEYS[1] lock: the lock hash (fields token and index)
 * KEYS[2] fence: the resource's fencing counter
 * KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])
 * KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])
 * ARGV[1] token: the owner token
 * ARGV[2] ttl: time to live in milliseconds
 * ARGV[3] entryTtl: how long a queue entry stays valid without another attempt, in ms (optional; '' or 0 = do not join the queue)
 * ARGV[4] channel: where a hand-off to another waiter is announced (optional; '' = announce nothing)
 * ARGV[5] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
 * ARGV[6] message: appended to a hand-off announcement, e.g. the resource name (optional; default '')
 * ARGV[7] grantChannel: where a hand-off to this waiter is to be announced, kept with its queue entry (optional; '' = on the channel of whoever hands over)
 * returns: {1, fencingToken, ttl} acquired (also when this token was already handed the lock: its ttl is set to ttl again, a write that WAIT can confirm); {0, pttl} held by another token (-1 without expiry). In fair mode a free lock goes to the first live queue entry, announced as 'token\nfence\nttl\nmessage' on that entry's grant channel (or on channel)
 */
export const semaphoreAcquire: LuaScript = {
  name: "semaphore_acquire",
  description: "Take a free semaphore lock (a hash of owner token and fencing index), or join the resource's FIFO queue.",
  source: "-- semaphore_acquire: Take a free semaphore lock (a hash of owner token and fencing index), or join the resource's FIFO queue.\n-- KEYS[1] lock: the lock hash (fields token and index)\n-- KEYS[2] fence: the resource's fencing counter\n-- KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])\n-- KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])\n-- ARGV[1] token: the owner token\n-- ARGV[2] ttl: time to live in milliseconds\n-- ARGV[3] entryTtl: how long a queue entry stays valid without another attempt, in ms (optional; '' or 0 = do not join the queue)\n-- ARGV[4] channel: where a hand-off to another waiter is announced (optional; '' = announce nothing)\n-- ARGV[5] publishCommand: 'publish' or 'spublish' (optional; default 'publish')\n-- ARGV[6] message: appended to a hand-off announcement, e.g. the resource name (optional; default '')\n-- ARGV[7] grantChannel: where a hand-off to this waiter is to be announced, kept with its queue entry (optional; '' = on the channel of whoever hands over)\n-- returns: {1, fencingToken, ttl} acquired (also when this token was already handed the lock: its ttl is set to ttl again, a write that WAIT can confirm); {0, pttl} held by another token (-1 without expiry). In fair mode a free lock goes to the first live queue entry, announced as 'token\\nfence\\nttl\\nmessage' on that entry's grant channel (or on channel)\nlocal token = ARGV[1]\nlocal ttl = tonumber(ARGV[2])\nlocal entryTtl = tonumber(ARGV[3] or '') or 0\nlocal channel = ARGV[4] or ''\nlocal publishCommand = ARGV[5] or ''\nlocal message = ARGV[6] or ''\nlocal grantChannel = ARGV[7] or ''\n\nif not token or token == '' then\n  return redis.error_reply('ERR semaphore_acquire: token must be a non-empty string')\nend\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR semaphore_acquire: ttl must be a positive integer number of milliseconds')\nend\nif entryTtl < 0 or entryTtl % 1 ~= 0 then\n  return redis.error_reply('ERR semaphore_acquire: entryTtl must be a non-negative integer number of milliseconds')\nend\nif publishCommand == '' then\n  publishCommand = 'publish'\nend\nif publishCommand ~= 'publish' and publishCommand ~= 'spublish' then\n  return redis.error_reply(\"ERR semaphore_acquire: publishCommand must be 'publish' or 'spublish'\")\nend\n\nlocal fair = #KEYS >= 4\n\nlocal function nowMs()\n  local t = redis.call('TIME')\n  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\nend\n\n-- Drops the queue keys once no entry is left (stale list entries go with them).\nlocal function cleanup()\n  if redis.call('HLEN', KEYS[4]) == 0 then\n    redis.call('DEL', KEYS[3], KEYS[4])\n  end\nend\n\n-- The first live entry of the queue (dead or stale entries in front of it are removed): its token, ttl and\n-- grant channel, or nil.\nlocal function firstLive(now)\n  while true do\n    local head = redis.call('LINDEX', KEYS[3], 0)\n    if not head then\n      return nil\n    end\n    local entry = redis.call('HGET', KEYS[4], head)\n    if entry then\n      local expiresAt, entryLockTtl, entryChannel = string.match(entry, '^(%d+):(%d+):?(.*)$')\n      if expiresAt and tonumber(expiresAt) > now then\n        return head, tonumber(entryLockTtl), entryChannel\n      end\n      redis.call('HDEL', KEYS[4], head)\n    end\n    redis.call('LPOP', KEYS[3])\n  end\nend\n\n-- Joins the queue, or refreshes this token's entry (keeping its place).\nlocal function enqueue(now)\n  -- HSET answers 1 only for a new field: a token joins the list once.\n  if redis.call('HSET', KEYS[4], token, (now + entryTtl) .. ':' .. ttl .. ':' .. grantChannel) == 1 then\n    redis.call('RPUSH', KEYS[3], token)\n  end\n  -- The queue keys outlive every entry, never longer.\n  if redis.call('PTTL', KEYS[4]) < entryTtl then\n    redis.call('PEXPIRE', KEYS[4], entryTtl)\n    redis.call('PEXPIRE', KEYS[3], entryTtl)\n  end\nend\n\n-- EXISTS first: a key of another layout counts as held; HGET then raises WRONGTYPE for a non-hash key.\nif redis.call('EXISTS', KEYS[1]) == 1 then\n  if redis.call('HGET', KEYS[1], 'token') == token then\n    -- Handed over earlier: the ttl starts again now. Being a write, it also lets WAIT (sent after this\n    -- script on the same connection) confirm the hand-off, which another connection wrote.\n    redis.call('PEXPIRE', KEYS[1], ttl)\n    return {1, tonumber(redis.call('HGET', KEYS[1], 'index')), ttl}\n  end\n  if fair and entryTtl > 0 then\n    enqueue(nowMs())\n  end\n  return {0, redis.call('PTTL', KEYS[1])}\nend\n\n-- An empty queue has no entries either (entries leave the hash when they leave the list), so the common\n-- uncontended path skips the queue bookkeeping.\nif fair and redis.call('LLEN', KEYS[3]) > 0 then\n  local now = nowMs()\n  local head, headTtl, headChannel = firstLive(now)\n  if head and head ~= token then\n    -- The lock expired with waiters queued: it belongs to the first of them, not to this caller.\n    local index = redis.call('INCR', KEYS[2])\n    redis.call('HSET', KEYS[1], 'token', head, 'index', index)\n    redis.call('PEXPIRE', KEYS[1], headTtl)\n    redis.call('LPOP', KEYS[3])\n    redis.call('HDEL', KEYS[4], head)\n    if channel ~= '' then\n      local to = headChannel ~= '' and headChannel or channel\n      redis.call(publishCommand, to, head .. '\\n' .. index .. '\\n' .. headTtl .. '\\n' .. message)\n    end\n    if entryTtl > 0 then\n      enqueue(now)\n    end\n    cleanup()\n    return {0, headTtl}\n  end\n  if head then\n    redis.call('LPOP', KEYS[3])\n  end\n  redis.call('HDEL', KEYS[4], token)\n  cleanup()\nend\n\n-- The counter is never deleted: it must keep increasing across lock lifetimes.\nlocal index = redis.call('INCR', KEYS[2])\nredis.call('HSET', KEYS[1], 'token', token, 'index', index)\nredis.call('PEXPIRE', KEYS[1], ttl)\nreturn {1, index, ttl}\n",
  sha1: "36fbd57c77bb4a493badbc7850481ed2d5de87f6",
  keys: ["lock", "fence", "queue", "waiters"],
  args: ["token", "ttl", "entryTtl", "channel", "publishCommand", "message", "grantChannel"],
  returns: "{1, fencingToken, ttl} acquired (also when this token was already handed the lock: its ttl is set to ttl again, a write that WAIT can confirm); {0, pttl} held by another token (-1 without expiry). In fair mode a free lock goes to the first live queue entry, announced as 'token\\nfence\\nttl\\nmessage' on that entry's grant channel (or on channel)",
};

/**
 * semaphore_extend: Set a semaphore lock's time to live, only when it holds the owner token.
 *
 * KEYS[1] lock: the lock hash (fields token and index)
 * ARGV[1] token: the owner token
 * ARGV[2] ttl: new time to live in milliseconds, from now
 * returns: 1 extended (PEXPIRE lock ttl; may also shorten); 0 the lock does not exist; -1 another token holds it (untouched). WRONGTYPE surfaces
 */
export const semaphoreExtend: LuaScript = {
  name: "semaphore_extend",
  description: "Set a semaphore lock's time to live, only when it holds the owner token.",
  source: "-- semaphore_extend: Set a semaphore lock's time to live, only when it holds the owner token.\n-- KEYS[1] lock: the lock hash (fields token and index)\n-- ARGV[1] token: the owner token\n-- ARGV[2] ttl: new time to live in milliseconds, from now\n-- returns: 1 extended (PEXPIRE lock ttl; may also shorten); 0 the lock does not exist; -1 another token holds it (untouched). WRONGTYPE surfaces\nlocal token = ARGV[1]\nlocal ttl = tonumber(ARGV[2])\n\nif not token or token == '' then\n  return redis.error_reply('ERR semaphore_extend: token must be a non-empty string')\nend\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR semaphore_extend: ttl must be a positive integer number of milliseconds')\nend\n\nif redis.call('EXISTS', KEYS[1]) == 0 then\n  return 0\nend\nif redis.call('HGET', KEYS[1], 'token') ~= token then\n  return -1\nend\nredis.call('PEXPIRE', KEYS[1], ttl)\nreturn 1\n",
  sha1: "9ac1258969cfcdfbf213fe46c468129e9f7050bc",
  keys: ["lock"],
  args: ["token", "ttl"],
  returns: "1 extended (PEXPIRE lock ttl; may also shorten); 0 the lock does not exist; -1 another token holds it (untouched). WRONGTYPE surfaces",
};

/**
 * semaphore_release: Delete a semaphore lock only when it holds the owner token; announce the release or hand the lock to the first live waiter.
 *
 * KEYS[1] lock: the lock hash (fields token and index)
 * KEYS[2] fence: the resource's fencing counter
 * KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])
 * KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])
 * ARGV[1] token: the owner token (in fair mode it also leaves the queue, so a waiter that gives up calls this too)
 * ARGV[2] channel: where the release or hand-off is announced (optional; '' = announce nothing)
 * ARGV[3] publishCommand: 'publish' or 'spublish' (optional; default 'publish')
 * ARGV[4] message: appended to every announcement, e.g. the resource name (optional; default '')
 * returns: 1 released; 0 the lock did not exist (expired); -1 another token holds it (untouched, nothing announced). After 1 or 0 in fair mode a free lock goes to the first live waiter, announced as 'token\nfence\nttl\nmessage' on the waiter's grant channel (or on channel); otherwise a release is announced as '\n\n\nmessage'
 */
export const semaphoreRelease: LuaScript = {
  name: "semaphore_release",
  description: "Delete a semaphore lock only when it holds the owner token; announce the release or hand the lock to the first live waiter.",
  source: "-- semaphore_release: Delete a semaphore lock only when it holds the owner token; announce the release or hand the lock to the first live waiter.\n-- KEYS[1] lock: the lock hash (fields token and index)\n-- KEYS[2] fence: the resource's fencing counter\n-- KEYS[3] queue: the FIFO queue, a list of waiter tokens (optional; fair mode only, with KEYS[4])\n-- KEYS[4] waiters: hash of waiter token to 'expiresAtMs:ttl:grantChannel' (optional; fair mode only, with KEYS[3])\n-- ARGV[1] token: the owner token (in fair mode it also leaves the queue, so a waiter that gives up calls this too)\n-- ARGV[2] channel: where the release or hand-off is announced (optional; '' = announce nothing)\n-- ARGV[3] publishCommand: 'publish' or 'spublish' (optional; default 'publish')\n-- ARGV[4] message: appended to every announcement, e.g. the resource name (optional; default '')\n-- returns: 1 released; 0 the lock did not exist (expired); -1 another token holds it (untouched, nothing announced). After 1 or 0 in fair mode a free lock goes to the first live waiter, announced as 'token\\nfence\\nttl\\nmessage' on the waiter's grant channel (or on channel); otherwise a release is announced as '\\n\\n\\nmessage'\nlocal token = ARGV[1]\nlocal channel = ARGV[2] or ''\nlocal publishCommand = ARGV[3] or ''\nlocal message = ARGV[4] or ''\n\nif not token or token == '' then\n  return redis.error_reply('ERR semaphore_release: token must be a non-empty string')\nend\nif publishCommand == '' then\n  publishCommand = 'publish'\nend\nif publishCommand ~= 'publish' and publishCommand ~= 'spublish' then\n  return redis.error_reply(\"ERR semaphore_release: publishCommand must be 'publish' or 'spublish'\")\nend\n\nlocal fair = #KEYS >= 4\n\n-- HGET first (one call on the common path); it raises WRONGTYPE for a non-hash key, an error meant to reach\n-- the caller. A hash without a token field is a lock of another layout: never ours.\n-- The lock itself is deleted last: a hand-off overwrites it instead.\nlocal result = 0\nlocal owner = redis.call('HGET', KEYS[1], 'token')\nif owner == token then\n  result = 1\nelseif owner or redis.call('EXISTS', KEYS[1]) == 1 then\n  result = -1\nend\n\nif fair then\n  -- A holder has no queue entry (it left the queue when it got the lock); a waiter giving up has one.\n  if result ~= 1 then\n    redis.call('HDEL', KEYS[4], token)\n  end\n  if result ~= -1 then\n    local now\n    while true do\n      local head = redis.call('LPOP', KEYS[3])\n      if not head then\n        break\n      end\n      local entry = redis.call('HGET', KEYS[4], head)\n      if entry then\n        redis.call('HDEL', KEYS[4], head)\n        local expiresAt, headTtl, headChannel = string.match(entry, '^(%d+):(%d+):?(.*)$')\n        if not now then\n          local t = redis.call('TIME')\n          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n        end\n        if expiresAt and tonumber(expiresAt) > now then\n          -- Direct hand-off: the first live waiter holds the lock from now on.\n          local index = redis.call('INCR', KEYS[2])\n          redis.call('HSET', KEYS[1], 'token', head, 'index', index)\n          redis.call('PEXPIRE', KEYS[1], tonumber(headTtl))\n          if redis.call('HLEN', KEYS[4]) == 0 then\n            redis.call('DEL', KEYS[3], KEYS[4])\n          end\n          if channel ~= '' then\n            local to = headChannel ~= '' and headChannel or channel\n            redis.call(publishCommand, to, head .. '\\n' .. index .. '\\n' .. headTtl .. '\\n' .. message)\n          end\n          return result\n        end\n      end\n    end\n  end\n  if redis.call('HLEN', KEYS[4]) == 0 then\n    redis.call('DEL', KEYS[3], KEYS[4])\n  end\nend\n\nif result == 1 then\n  redis.call('DEL', KEYS[1])\n  if channel ~= '' then\n    redis.call(publishCommand, channel, '\\n\\n\\n' .. message)\n  end\nend\nreturn result\n",
  sha1: "40c1dafb4129fe83593c0c0208cedf5dfe0bc3b3",
  keys: ["lock", "fence", "queue", "waiters"],
  args: ["token", "channel", "publishCommand", "message"],
  returns: "1 released; 0 the lock did not exist (expired); -1 another token holds it (untouched, nothing announced). After 1 or 0 in fair mode a free lock goes to the first live waiter, announced as 'token\\nfence\\nttl\\nmessage' on the waiter's grant channel (or on channel); otherwise a release is announced as '\\n\\n\\nmessage'",
};

/** Every script of this package, in file-name order. */
export const allScripts: readonly LuaScript[] = [lockAcquire, lockExtend, lockGet, lockInspect, lockRelease, redfourAcquire, redfourExtend, redfourRelease, redlockFenceRaise, semaphoreAcquire, semaphoreExtend, semaphoreRelease];
