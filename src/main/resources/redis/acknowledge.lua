-- Acknowledges entries after their events were committed, and takes the events of those this call really
-- acknowledged (not acknowledged before by another consumer) off the backlog counter.
-- KEYS[1] the stream, KEYS[2] its backlog counter
-- ARGV[1] the consumer group, then per entry: id, event count
-- Returns the events taken off the backlog.
local done = 0
for i = 2, #ARGV, 2 do
  if redis.call('XACK', KEYS[1], ARGV[1], ARGV[i]) == 1 then
    done = done + tonumber(ARGV[i + 1])
  end
end
if done > 0 then
  redis.call('DECRBY', KEYS[2], done)
end
return done
