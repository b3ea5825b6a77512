-- mcpcp activity.db, schema version 1: one row per request the gateway received.
-- Rows are append-only and in commit order (id); retention deletes the oldest.

CREATE TABLE activity (
    id               INTEGER PRIMARY KEY,
    time             TEXT NOT NULL,      -- RFC 3339 UTC with microseconds, when the request arrived
    server           TEXT,
    type             TEXT NOT NULL,      -- tool_call, list, resource_read, prompt_get, request, notification, ...
    level            TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
    principal        TEXT,               -- token name or user name
    auth_method      TEXT,               -- api_token, password, sso
    source_ip        TEXT,
    user_agent       TEXT,
    client_name      TEXT,
    client_version   TEXT,
    session_id       TEXT,
    method           TEXT,               -- the MCP method
    tool             TEXT,
    input            TEXT,               -- JSON, redacted; NULL when not captured
    output           TEXT,               -- JSON, redacted, possibly truncated; NULL when not captured
    output_size      INTEGER,            -- bytes of the output before truncation
    output_truncated INTEGER NOT NULL DEFAULT 0 CHECK (output_truncated IN (0, 1)),
    duration_us      INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('success', 'failure')),
    http_status      INTEGER,
    error_code       INTEGER,
    error_message    TEXT,
    trace_id         TEXT NOT NULL
) STRICT;

-- `mcpcp logs` reads the newest matches first: each index pairs a filter column with time, so
-- "WHERE x = ? [AND time >= ?] ORDER BY time DESC" walks one index range backwards, however
-- large the table.
CREATE INDEX activity_by_time ON activity (time);
CREATE INDEX activity_by_server ON activity (server, time);
CREATE INDEX activity_by_principal ON activity (principal, time);
CREATE INDEX activity_by_tool ON activity (tool, time);
CREATE INDEX activity_by_type ON activity (type, time);
CREATE INDEX activity_by_level ON activity (level, time);
CREATE INDEX activity_by_status ON activity (status, time);
CREATE INDEX activity_by_trace ON activity (trace_id);
CREATE INDEX activity_by_session ON activity (session_id);

-- One row the writer updates to find out whether the disk takes writes again after a failure.
CREATE TABLE writer_probe (at TEXT NOT NULL) STRICT;
INSERT INTO writer_probe (at) VALUES ('');
