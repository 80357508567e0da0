-- lock_get: Return the value stored in a plain-string lock key, for compat layers whose API returns it.
-- KEYS[1] lock: the lock key
-- returns: the stored value (bulk string), or nil when the key does not exist. Read-only. Only for layouts whose value is not a secret owner token (ac-redislock's getLock); strategies never call it

-- GET raises WRONGTYPE for a non-string key; that error is meant to reach the caller.
return redis.call('GET', KEYS[1])
