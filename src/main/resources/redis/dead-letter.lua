-- Moves one entry to the dead-letter stream with the reason, unless another consumer acknowledged it meanwhile.
-- The dead-letter stream keeps its latest entries only; its event counter counts every event ever dead-lettered
-- (it is part of /stats' dead_lettered), so trimming the stream leaves it alone.
-- KEYS[1] the stream, KEYS[2] its backlog counter, KEYS[3] the dead-letter stream, KEYS[4] its event counter,
-- KEYS[5] the backlog byte counter
-- ARGV[1] the group, ARGV[2] the entry id, ARGV[3] its event count, ARGV[4] its body, ARGV[5] the reason,
-- ARGV[6] its bytes (its "bytes" field), ARGV[7] the dead-letter entries kept at most (0: all)
-- Returns 1 when moved, 0 when it was acknowledged already.
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
local fields = {'entry', ARGV[2], 'n', ARGV[3], 'events', ARGV[4], 'reason', ARGV[5]}
if tonumber(ARGV[7]) > 0 then
  redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[7], '*', unpack(fields))
else
  redis.call('XADD', KEYS[3], '*', unpack(fields))
end
redis.call('DECRBY', KEYS[2], ARGV[3])
redis.call('DECRBY', KEYS[5], ARGV[6])
redis.call('INCRBY', KEYS[4], ARGV[3])
return 1
