-- mcpcp activity.db, schema version 11: `activity_recent` rebuilt with its CHECK constraints
-- written as comparisons. SQLite checks `x IN ('a', 'b', 'c')` in a CHECK constraint by
-- building an ephemeral b-tree of the list for every row it checks: each record the writer
-- inserted here built two (`level`, `fault`), about two fifths of the insert's time. `x = 'a' OR
-- x = 'b' OR x = 'c'` allows exactly the same values (NULL passes both) without one. The table
-- holds at most a fold's worth of rows; they are copied. Same columns in the same order, so it
-- still folds into `activity` column for column.
CREATE TABLE activity_recent_new (
    id               INTEGER PRIMARY KEY,
    time             TEXT NOT NULL,
    server           TEXT,
    type             TEXT NOT NULL,
    level            TEXT NOT NULL CHECK (level = 'info' OR level = 'warn' OR level = 'error'),
    principal        TEXT,
    auth_method      TEXT,
    source_ip        TEXT,
    user_agent       TEXT,
    client_name      TEXT,
    client_version   TEXT,
    session_id       TEXT,
    method           TEXT,
    tool             TEXT,
    input            TEXT,
    output           TEXT,
    output_size      INTEGER,
    output_truncated INTEGER NOT NULL DEFAULT 0 CHECK (output_truncated = 0 OR output_truncated = 1),
    duration_us      INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status = 'success' OR status = 'failure'),
    http_status      INTEGER,
    error_code       INTEGER,
    error_message    TEXT,
    trace_id         TEXT NOT NULL,
    fault            TEXT CHECK (fault = 'client' OR fault = 'upstream' OR fault = 'operator' OR fault = 'internal'),
    upstream_auth    TEXT,
    upstream_subject TEXT,
    span_id          TEXT,
    parent_span_id   TEXT,
    trace_origin     TEXT,
    spans            TEXT
) STRICT;
INSERT INTO activity_recent_new SELECT * FROM activity_recent;
DROP TABLE activity_recent;
ALTER TABLE activity_recent_new RENAME TO activity_recent;
