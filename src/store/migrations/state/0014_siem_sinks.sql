-- mcpcp state.db: SIEM sinks, where the gateway streams the activity log and the audit trail
-- (`mcpcp siem`). A sink is data: its kind and receiver URL, the message format, a private CA
-- (PEM, public data: it is shown as a fingerprint), which streams it takes, a filter on the
-- activity stream (the flags of `logs tail`, as JSON), and where delivery starts: after the
-- activity record `activity_start` and the audit entry `audit_start`, resolved from `--from`
-- when the sink was added. Delivery progress (the cursors) is not here but in activity.db: it is
-- written at delivery rate, and every commit to this file makes the gateway reload its snapshot.
-- `options` and `secret_sealed` hold what later kinds of sink need (an index, a sourcetype; a
-- token or a signing secret, sealed like every secret at rest).
CREATE TABLE siem_sinks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('syslog', 'hec', 'http', 'otlp')),
    url            TEXT NOT NULL,
    format         TEXT NOT NULL CHECK (format IN ('rfc5424', 'cef', 'json')),
    ca_pem         TEXT,
    streams        TEXT NOT NULL,
    filter         TEXT NOT NULL,
    options        TEXT NOT NULL DEFAULT '{}',
    secret_sealed  BLOB,
    start_from     TEXT NOT NULL,
    activity_start INTEGER NOT NULL CHECK (activity_start >= 0),
    audit_start    INTEGER NOT NULL CHECK (audit_start >= 0),
    paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

-- This data directory's instance id, part of every event id a sink sends (instance, stream,
-- sequence number), so a receiver fed by several gateways can de-duplicate.
INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(8))));
