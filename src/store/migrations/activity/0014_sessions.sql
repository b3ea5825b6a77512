-- mcpcp activity.db, schema version 14: the gateway's client sessions (Streamable HTTP, the 2025
-- revisions), so that a restart of the gateway continues them. Runtime data the gateway owns,
-- like the quota counts and the SIEM cursors: written behind the request path, no audit entry.
-- `id_hash` is the SHA-256 (hex) of the session id, never the id (a session id is as good as a
-- bearer credential for its principal's session). `principal` names who holds it (`token:ID` or
-- `user:ID:GRANT`); `init` is the client's `initialize` request (id 0), replayed to an upstream
-- that has to start again; `upstream_sealed` holds the upstream's own session id and a digest of
-- the server's upstream settings, sealed with the data directory's key (NULL for a composed
-- server's session). No foreign key: servers live in state.db.
CREATE TABLE sessions (
    id_hash          TEXT PRIMARY KEY,
    server_id        INTEGER NOT NULL,
    principal        TEXT NOT NULL,
    protocol_version TEXT NOT NULL,
    init             TEXT NOT NULL,
    upstream_sealed  BLOB,
    created_at       TEXT NOT NULL,
    last_used_at     TEXT NOT NULL
) STRICT;
