-- Appends one publish request, all or nothing: checks that the backlog has room, XADDs the request's entries
-- and adds their events to the backlog counter.
-- KEYS[1] the stream, KEYS[2] its backlog counter
-- ARGV[1] the backlog limit in events (0: none), ARGV[2] the request's events, then per entry: event count, body
-- Returns 1 when appended, 0 when the backlog is full (nothing appended).
local max = tonumber(ARGV[1])
local total = tonumber(ARGV[2])
if max > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') + total > max then
  return 0
end
for i = 3, #ARGV, 2 do
  redis.call('XADD', KEYS[1], '*', 'n', ARGV[i], 'events', ARGV[i + 1])
end
redis.call('INCRBY', KEYS[2], total)
return 1
