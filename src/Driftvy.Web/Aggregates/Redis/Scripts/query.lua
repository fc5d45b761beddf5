-- Reads everything a board needs in one call, as of one moment (Redis runs a script alone).
--
-- KEYS[1] = the generation, KEYS[2] = the watermark; then the buckets of every tally query, one query after the
-- other; then the quarter index and the day's bucket per chart.
-- ARGV[1] = the number of tally queries; ARGV[2] = 1 to return single whole hashes inline (else 1 in their place,
-- or the quarter's label alone: the caller fetches them); ARGV[3] = the number of field sets, then each set (its
-- count, then its field names: see TallyHash.ProjectionFields);
-- per tally query: bucket count, offered count the caller holds (-1: none), the field set to read its buckets with
-- (0: whole hashes);
-- per chart: the day's offered count the caller holds (-1: none), 1 for counts only, the key prefix of the day's
-- quarter hashes, the caller's quarter counts ("label=count,..."), the field set for its quarters (0: whole hashes).
--
-- Returns the generation and the watermark; per tally query false (unchanged), the set's values (summed over its
-- buckets), a whole hash (or 1), or several whole hashes summed as a flat (field, value) array; per chart false
-- (unchanged) or { index, label, values or hash, ... } for the quarters whose count moved (labels alone for whole
-- hashes not inline).
--
-- What costs here is each redis.call (several microseconds) and every field that crosses into Lua and back (a
-- fraction of a microsecond each way): a day's hash of per-second waits crossing twice costs more than all the rest
-- of a screen's read. So a projected read takes only its field set by name (a few dozen fields, thanks to the block
-- sums, added up here over a rolling window's minutes), a single whole hash is fetched with a plain HGETALL right
-- after the script (see RedisTallyReader), a chart's moved quarters are found through the day's quarter index, and
-- the day's offered count is checked first.

local function merge(keys, first, n)
  local sums = {}
  local order = {}
  for i = 0, n - 1 do
    local flat = redis.call('HGETALL', keys[first + i])
    for j = 1, #flat, 2 do
      local f = flat[j]
      local v = tonumber(flat[j + 1])
      if sums[f] then sums[f] = sums[f] + v else sums[f] = v; order[#order + 1] = f end
    end
  end
  local res = {}
  for _, f in ipairs(order) do
    res[#res + 1] = f
    res[#res + 1] = string.format((f == 'aws' or f == 'hs') and '%.17g' or '%d', sums[f])
  end
  return res
end
local function add(keys, first, n, fields)
  local sums = {}
  for j = 1, #fields do sums[j] = 0 end
  for i = 0, n - 1 do
    local v = redis.call('HMGET', keys[first + i], unpack(fields))
    for j = 1, #fields do if v[j] then sums[j] = sums[j] + tonumber(v[j]) end end
  end
  for j = 1, #fields do sums[j] = string.format('%.17g', sums[j]) end
  return sums
end

local inline = ARGV[2] == '1'
local out = { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0' }
local k = 3
local a = 4
local sets = {}
for s = 1, tonumber(ARGV[3]) do
  local c = tonumber(ARGV[a])
  sets[s] = { unpack(ARGV, a + 1, a + c) }
  a = a + 1 + c
end
local function single(key, set)
  if set > 0 then return redis.call('HMGET', key, unpack(sets[set])) end
  if inline then return redis.call('HGETALL', key) end
  return nil
end
for q = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[a])
  local unless = tonumber(ARGV[a + 1])
  local set = tonumber(ARGV[a + 2])
  a = a + 3
  local o = -1
  if unless >= 0 then
    o = 0
    for i = 0, n - 1 do o = o + (tonumber(redis.call('HGET', KEYS[k + i], 'o')) or 0) end
  end
  if unless >= 0 and o == unless then
    out[#out + 1] = false
  elseif n == 1 then
    out[#out + 1] = single(KEYS[k], set) or 1
  elseif set > 0 then
    out[#out + 1] = add(KEYS, k, n, sets[set])
  else
    out[#out + 1] = merge(KEYS, k, n)
  end
  k = k + n
end
while a <= #ARGV do
  local unless = tonumber(ARGV[a])
  local countsOnly = ARGV[a + 1] == '1'
  local prefix = ARGV[a + 2]
  local knownText = ARGV[a + 3]
  local set = tonumber(ARGV[a + 4])
  a = a + 5
  if unless >= 0 and (tonumber(redis.call('HGET', KEYS[k + 1], 'o')) or 0) == unless then
    out[#out + 1] = false
  else
    local index = redis.call('HGETALL', KEYS[k])
    local res = { index }
    if not countsOnly then
      local known = {}
      for label, count in string.gmatch(knownText, '(%d+)=(%d+)') do known[label] = count end
      for j = 1, #index, 2 do
        if known[index[j]] ~= index[j + 1] then
          res[#res + 1] = index[j]
          if set > 0 or inline then res[#res + 1] = single(prefix .. index[j], set) end
        end
      end
    end
    out[#out + 1] = res
  end
  k = k + 2
end
return out
