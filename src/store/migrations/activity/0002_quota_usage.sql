-- mcpcp activity.db, schema version 2: usage-quota counts, written in the same transaction as
-- the activity records of the calls they count, so a count is never behind an answer a client saw.
CREATE TABLE quota_usage (
    server_id    INTEGER NOT NULL,   -- servers.id in state.db
    auth_method  TEXT NOT NULL,      -- '' for the server-wide count
    principal    TEXT NOT NULL,      -- '' for the server-wide count
    period       TEXT NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month')),
    window_start TEXT NOT NULL,      -- RFC 3339 UTC: when the period began
    used         INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (server_id, auth_method, principal, period, window_start)
) STRICT, WITHOUT ROWID;
