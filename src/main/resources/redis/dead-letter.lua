-- Moves one entry to the dead-letter stream with the reason, unless another consumer acknowledged it meanwhile.
-- KEYS[1] the stream, KEYS[2] its backlog counter, KEYS[3] the dead-letter stream, KEYS[4] its event counter
-- ARGV[1] the group, ARGV[2] the entry id, ARGV[3] its event count, ARGV[4] its body, ARGV[5] the reason
-- Returns 1 when moved, 0 when it was acknowledged already.
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('XADD', KEYS[3], '*', 'entry', ARGV[2], 'n', ARGV[3], 'events', ARGV[4], 'reason', ARGV[5])
redis.call('DECRBY', KEYS[2], ARGV[3])
redis.call('INCRBY', KEYS[4], ARGV[3])
return 1
