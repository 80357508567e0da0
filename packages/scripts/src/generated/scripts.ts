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
 * returns: {1, fencingToken} when acquired (fencingToken 0 without KEYS[2]); {0, pttl} when held by someone else
 */
export const lockAcquire: LuaScript = {
  name: "lock_acquire",
  description: "Take a free lock for an owner token and bump the resource's fencing counter.",
  source: "-- lock_acquire: Take a free lock for an owner token and bump the resource's fencing counter.\n-- KEYS[1] lock: the lock key\n-- KEYS[2] fence: the fencing counter (optional; omit for layouts without fencing)\n-- ARGV[1] token: the owner token\n-- ARGV[2] ttl: time to live in milliseconds\n-- returns: {1, fencingToken} when acquired (fencingToken 0 without KEYS[2]); {0, pttl} when held by someone else\nlocal token = ARGV[1]\nlocal ttl = tonumber(ARGV[2])\n\nif not token or token == '' then\n  return redis.error_reply('ERR lock_acquire: token must be a non-empty string')\nend\nif not ttl or ttl < 1 or ttl % 1 ~= 0 then\n  return redis.error_reply('ERR lock_acquire: ttl must be a positive integer number of milliseconds')\nend\n\n-- SET NX PX is the whole acquisition: it either creates the key with its expiry or does nothing.\nif redis.call('SET', KEYS[1], token, 'NX', 'PX', ttl) then\n  local fence = 0\n  if #KEYS >= 2 then\n    -- The counter is never deleted: it must keep increasing across lock lifetimes.\n    fence = redis.call('INCR', KEYS[2])\n  end\n  return {1, fence}\nend\n\n-- Held by someone else: report the remaining time (-1 when the holder set no expiry).\nreturn {0, redis.call('PTTL', KEYS[1])}\n",
  sha1: "500dddcff1e4b26a2852dceafb8af0586cb897ed",
  keys: ["lock", "fence"],
  args: ["token", "ttl"],
  returns: "{1, fencingToken} when acquired (fencingToken 0 without KEYS[2]); {0, pttl} when held by someone else",
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

/** Every script of this package, in file-name order. */
export const allScripts: readonly LuaScript[] = [lockAcquire, lockExtend, lockGet, lockInspect, lockRelease];
