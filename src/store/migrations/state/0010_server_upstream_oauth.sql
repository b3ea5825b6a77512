-- mcpcp state.db, schema version 10: how mcpcp signs users in at a server's upstream
-- (`servers.upstream_auth = 'oauth'`): the upstream's authorization server (found by discovery
-- or given by the administrator) and mcpcp's client there (registered dynamically or given by
-- the administrator), the client secret sealed with the data directory's key.
CREATE TABLE server_upstream_oauth (
    server_id              INTEGER PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    resource               TEXT NOT NULL,          -- RFC 8707 resource: the upstream's URL
    issuer                 TEXT,
    authorization_endpoint TEXT NOT NULL,
    token_endpoint         TEXT NOT NULL,
    revocation_endpoint    TEXT,
    iss_parameter          INTEGER NOT NULL DEFAULT 0 CHECK (iss_parameter IN (0, 1)),
    client_id              TEXT NOT NULL,
    client_secret_sealed   BLOB,
    auth_method            TEXT NOT NULL CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
    registration           TEXT NOT NULL CHECK (registration IN ('admin', 'dynamic')),
    scopes                 TEXT NOT NULL DEFAULT '',
    updated_at             TEXT NOT NULL
) STRICT;
