-- Trims the entries every consumer is done with: those older than both the oldest unacknowledged entry and
-- the last one delivered, so only acknowledged entries go.
-- KEYS[1] the stream; ARGV[1] the consumer group
-- Returns {watermark id, the group's lag (-1 when Redis cannot tell), entries pending, stream length}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'0-0', 0, 0, 0}
end
local info
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local fields = {}
  for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
  if fields['name'] == ARGV[1] then info = fields end
end
if not info then
  return {'0-0', 0, 0, redis.call('XLEN', KEYS[1])}
end
local watermark = info['last-delivered-id']
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
if pending[1] > 0 then watermark = pending[2] end
redis.call('XTRIM', KEYS[1], 'MINID', watermark)
return {watermark, info['lag'] or -1, pending[1], redis.call('XLEN', KEYS[1])}
