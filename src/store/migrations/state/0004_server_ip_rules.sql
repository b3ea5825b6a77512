-- mcpcp state.db, schema version 4: per-server IP allow and deny lists (mcpcp server ip).
CREATE TABLE server_ip_rules (
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    cidr       TEXT NOT NULL,                    -- normalised network, e.g. 10.0.0.0/8
    action     TEXT NOT NULL CHECK (action IN ('allow', 'deny')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (server_id, cidr)
) STRICT;
