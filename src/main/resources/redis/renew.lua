-- Resets the idle time of the entries a consumer still holds while it retries them, so that no other consumer takes
-- them over meanwhile. An entry another consumer has taken over, or that was acknowledged, is left alone: taking it
-- back (XCLAIM with min-idle 0 would) could pull it from under a consumer committing it.
-- KEYS[1] the stream; ARGV[1] the group, ARGV[2] the consumer, then the entry ids
-- Returns the ids the consumer still holds.
local held = {}
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if #pending == 1 and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    held[#held + 1] = ARGV[i]
  end
end
return held
