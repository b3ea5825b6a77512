-- mcpcp state.db, schema version 5: rate limits per server (mcpcp server limits).
CREATE TABLE server_rate_limits (
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL CHECK (scope IN ('server', 'user')),  -- server-wide, or each principal
    count      INTEGER NOT NULL CHECK (count > 0),
    period_ms  INTEGER NOT NULL CHECK (period_ms > 0),
    burst      INTEGER NOT NULL CHECK (burst > 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (server_id, scope)
) STRICT;
