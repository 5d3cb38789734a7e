-- The W3C trace context an event was published in (the traceparent header or a CloudEvent's distributed-tracing
-- extension), passed on to subscribers; null for an event published without one. Nullable columns without a
-- default: adding them rewrites nothing, on every partition.
ALTER TABLE events ADD COLUMN IF NOT EXISTS traceparent TEXT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS tracestate TEXT;
