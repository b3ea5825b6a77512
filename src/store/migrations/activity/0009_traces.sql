-- mcpcp activity.db, schema version 9: each call's place in its W3C trace and its timeline.
-- `span_id` is the call's span (the parent of what the upstream does), `parent_span_id` the
-- caller's span when a `traceparent` came and was continued, `trace_origin` `new`, `continued`
-- or `malformed` (a `traceparent` came that is not valid: ignored), and `spans` the steps of
-- the call as a compact JSON array: [["accept",0,4],["authenticate",4,21,"failed"],…] (phase,
-- start in µs from the call's arrival, duration in µs, "failed" for the step that failed).
ALTER TABLE activity ADD COLUMN span_id TEXT;
ALTER TABLE activity ADD COLUMN parent_span_id TEXT;
ALTER TABLE activity ADD COLUMN trace_origin TEXT;
ALTER TABLE activity ADD COLUMN spans TEXT;
ALTER TABLE activity_recent ADD COLUMN span_id TEXT;
ALTER TABLE activity_recent ADD COLUMN parent_span_id TEXT;
ALTER TABLE activity_recent ADD COLUMN trace_origin TEXT;
ALTER TABLE activity_recent ADD COLUMN spans TEXT;
