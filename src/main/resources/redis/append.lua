-- Appends one publish request, all or nothing: checks that the backlog has room in events and in bytes, XADDs the
-- request's entries (each with its body's length in bytes, so that whoever takes it off the backlog takes off
-- exactly what was added) and adds their events and bytes to the backlog counters.
-- A request with an Idempotency-Key also sets the key's marker, in the same step: a retry after an answer that was
-- lost on the way back (the entries are in, the client got a 5xx) finds the marker instead of appending again.
-- KEYS[1] the stream, KEYS[2] its backlog counter, KEYS[3] its backlog byte counter, KEYS[4] the key's marker
-- (or the stream again, without a key); all four share the partition's hash tag
-- ARGV[1] the backlog limit in events, ARGV[2] in bytes (0: none), ARGV[3] the request's events,
-- ARGV[4] the request's fingerprint ('' without a key), ARGV[5] the marker's time to live in seconds,
-- then per entry: event count, body
-- Returns 1 when appended, 0 when the backlog is full (nothing appended), 2 when this request was appended
-- before, 3 when another request was appended under its key (nothing appended).
local fingerprint = ARGV[4]
if fingerprint ~= '' then
  local before = redis.call('GET', KEYS[4])
  if before == fingerprint then
    -- A write, so that a WAIT after this script waits until the replicas have the entries too (they get writes in
    -- order), and the marker lasts while this retry's answer is in doubt.
    redis.call('EXPIRE', KEYS[4], ARGV[5])
    return 2
  end
  if before then
    return 3
  end
end
local max_events = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2])
local events = tonumber(ARGV[3])
local bytes = 0
for i = 7, #ARGV, 2 do
  bytes = bytes + #ARGV[i]
end
if max_events > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') + events > max_events then
  return 0
end
if max_bytes > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') + bytes > max_bytes then
  return 0
end
for i = 6, #ARGV, 2 do
  redis.call('XADD', KEYS[1], '*', 'n', ARGV[i], 'bytes', #ARGV[i + 1], 'events', ARGV[i + 1])
end
redis.call('INCRBY', KEYS[2], events)
redis.call('INCRBY', KEYS[3], bytes)
if fingerprint ~= '' then
  redis.call('SET', KEYS[4], fingerprint, 'EX', ARGV[5])
end
return 1
