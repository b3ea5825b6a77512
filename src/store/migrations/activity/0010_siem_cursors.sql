-- mcpcp activity.db, schema version 10: SIEM delivery progress, written by the gateway.
-- `position` is the id of the last record (stream `activity`) or audit entry (stream `audit`)
-- the sink's receiver acknowledged: delivery resumes after it, so a crash repeats at most the
-- batches in flight. `delivered` counts events sent and acknowledged. Retention keeps the
-- records after the smallest activity position, up to `siem.max_backlog` records; records it
-- deletes before a sink delivered them are added to `lost`, and the sink sends one gap event
-- for those not yet `lost_reported`. No foreign key: sinks live in state.db.
CREATE TABLE siem_cursors (
    sink_id       INTEGER NOT NULL,
    stream        TEXT NOT NULL CHECK (stream IN ('activity', 'audit')),
    position      INTEGER NOT NULL CHECK (position >= 0),
    delivered     INTEGER NOT NULL DEFAULT 0,
    lost          INTEGER NOT NULL DEFAULT 0,
    lost_reported INTEGER NOT NULL DEFAULT 0,
    last_lost_at  TEXT,
    PRIMARY KEY (sink_id, stream)
) STRICT;

-- What each sink's delivery task last did, for `mcpcp siem status`.
CREATE TABLE siem_status (
    sink_id          INTEGER PRIMARY KEY,
    state            TEXT NOT NULL,
    since            TEXT NOT NULL,
    last_error       TEXT,
    last_error_at    TEXT,
    last_delivery_at TEXT
) STRICT;
