-- mcpcp activity.db, schema version 4: new records land in `activity_recent`, a table without
-- indexes, and the writer moves them into `activity` in batches of about a thousand.
-- A one-row commit into `activity` dirties a page of the table and of each of its 8 indexes;
-- into `activity_recent` it dirties one. Moving a thousand rows at once shares each index page
-- among many of them. Readers look at both tables (`activity_recent` stays small); ids are
-- assigned by the writer and increase across both.
CREATE TABLE activity_recent (
    id               INTEGER PRIMARY KEY,
    time             TEXT NOT NULL,
    server           TEXT,
    type             TEXT NOT NULL,
    level            TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
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
    output_truncated INTEGER NOT NULL DEFAULT 0 CHECK (output_truncated IN (0, 1)),
    duration_us      INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('success', 'failure')),
    http_status      INTEGER,
    error_code       INTEGER,
    error_message    TEXT,
    trace_id         TEXT NOT NULL
) STRICT;
