-- Removes a consumer from the group unless it still holds unacknowledged entries (removing it would drop them).
-- KEYS[1] the stream; ARGV[1] the group, ARGV[2] the consumer
-- Returns 1 when removed (0 when it did not exist), -1 when it still holds entries.
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
end
return -1
