-- mcpcp state.db, schema version 9: linked upstream accounts (per-user upstream access). One row
-- per (server, user): the user's upstream tokens, or with no user the server's shared
-- connection (for principals that are not users). The access and refresh tokens are sealed
-- together with the data directory's key, the server and user ids bound as associated data, so
-- a row copied to another user or server does not open.
CREATE TABLE upstream_connections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id     INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users (id) ON DELETE CASCADE,
    subject       TEXT,                   -- the upstream account, when the upstream says it
    scopes        TEXT NOT NULL DEFAULT '',
    tokens_sealed BLOB NOT NULL,
    expires_at    TEXT,                   -- of the access token
    created_at    TEXT NOT NULL,
    refreshed_at  TEXT
) STRICT;
CREATE UNIQUE INDEX upstream_connections_by_owner ON upstream_connections (server_id, COALESCE(user_id, 0));
CREATE INDEX upstream_connections_by_user ON upstream_connections (user_id);
