-- mcpcp state.db, schema version 6: usage quotas per server (mcpcp server limits --quota).
-- The counts are not here: they live in activity.db, written with the activity records.
CREATE TABLE server_quotas (
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL CHECK (scope IN ('server', 'user')),  -- server-wide, or each principal
    count      INTEGER NOT NULL CHECK (count > 0),
    period     TEXT NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month')),
    timezone   TEXT NOT NULL,                                      -- IANA name; periods begin at local midnight
    updated_at TEXT NOT NULL,
    PRIMARY KEY (server_id, scope)
) STRICT;
