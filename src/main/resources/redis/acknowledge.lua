-- Acknowledges entries after their events were committed, and takes the events and bytes of those this call
-- really acknowledged (not acknowledged before by another consumer) off the backlog counters.
-- KEYS[1] the stream, KEYS[2] its backlog counter, KEYS[3] its backlog byte counter
-- ARGV[1] the consumer group, then per entry: id, event count, bytes (its "bytes" field; 0 for entries appended
-- before bytes were counted, which were never added)
-- Returns the events taken off the backlog.
local done = 0
local bytes = 0
for i = 2, #ARGV, 3 do
  if redis.call('XACK', KEYS[1], ARGV[1], ARGV[i]) == 1 then
    done = done + tonumber(ARGV[i + 1])
    bytes = bytes + tonumber(ARGV[i + 2])
  end
end
if done > 0 then
  redis.call('DECRBY', KEYS[2], done)
end
if bytes > 0 then
  redis.call('DECRBY', KEYS[3], bytes)
end
return done
