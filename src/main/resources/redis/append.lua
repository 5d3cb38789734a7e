-- Appends one publish request, all or nothing: checks that the backlog has room in events and in bytes, XADDs the
-- request's entries (each with its body's length in bytes, so that whoever takes it off the backlog takes off
-- exactly what was added) and adds their events and bytes to the backlog counters.
-- KEYS[1] the stream, KEYS[2] its backlog counter, KEYS[3] its backlog byte counter
-- ARGV[1] the backlog limit in events, ARGV[2] in bytes (0: none), ARGV[3] the request's events,
-- then per entry: event count, body
-- Returns 1 when appended, 0 when the backlog is full (nothing appended).
local max_events = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2])
local events = tonumber(ARGV[3])
local bytes = 0
for i = 5, #ARGV, 2 do
  bytes = bytes + #ARGV[i]
end
if max_events > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') + events > max_events then
  return 0
end
if max_bytes > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') + bytes > max_bytes then
  return 0
end
for i = 4, #ARGV, 2 do
  redis.call('XADD', KEYS[1], '*', 'n', ARGV[i], 'bytes', #ARGV[i + 1], 'events', ARGV[i + 1])
end
redis.call('INCRBY', KEYS[2], events)
redis.call('INCRBY', KEYS[3], bytes)
return 1
