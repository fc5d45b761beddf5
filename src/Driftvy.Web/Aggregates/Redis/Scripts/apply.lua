-- Folds one batch of contacts into the bucket hashes, atomically (Redis runs a script alone), so a reader never
-- sees half a batch and a retried batch is skipped.
--
-- KEYS[1] = watermark; KEYS[2] = layout; KEYS[3..] = bucket hashes (and quarter indexes).
-- ARGV: expected watermark (-1: any), first seq, last seq, layout, then per key from KEYS[3] on: field count,
-- seconds left to live, then (field, increment) pairs. Sums of seconds (aws, hs) are fractional.
-- Returns 1 when folded, 0 when skipped (already folded: first seq <= watermark; or not the expected watermark,
-- which is the compare-and-set that keeps racing folds exact). The first fold into an empty store marks it with
-- this layout.

local stored = redis.call('GET', KEYS[1])
local wm = tonumber(stored or '0')
local expected = tonumber(ARGV[1])
local first = tonumber(ARGV[2])
if expected >= 0 and wm ~= expected then return 0 end
if first > 0 and wm >= first then return 0 end
if not stored then redis.call('SET', KEYS[2], ARGV[4]) end
local i = 5
for k = 3, #KEYS do
  local n = tonumber(ARGV[i])
  local ttl = tonumber(ARGV[i + 1])
  i = i + 2
  if redis.call('EXISTS', KEYS[k]) == 0 then
    -- A new bucket (every bucket of a rebuild, mostly): its fields set a few hundred at a time, not one by one.
    local j = 0
    while j < n do
      local m = math.min(n - j, 500)
      redis.call('HSET', KEYS[k], unpack(ARGV, i + 2 * j, i + 2 * (j + m) - 1))
      j = j + m
    end
    i = i + 2 * n
  else
    for j = 1, n do
      local f = ARGV[i]
      if f == 'aws' or f == 'hs' then
        redis.call('HINCRBYFLOAT', KEYS[k], f, ARGV[i + 1])
      else
        redis.call('HINCRBY', KEYS[k], f, ARGV[i + 1])
      end
      i = i + 2
    end
  end
  redis.call('EXPIRE', KEYS[k], ttl)
end
local last = tonumber(ARGV[3])
if last > wm then redis.call('SET', KEYS[1], ARGV[3]) end
return 1
