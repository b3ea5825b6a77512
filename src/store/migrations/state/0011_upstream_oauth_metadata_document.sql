-- mcpcp state.db, schema version 11: mcpcp's client at an upstream's authorization server may
-- also be its client ID metadata document (`registration = 'metadata_document'`: the client id is
-- the URL of the document the gateway serves, a public client without a secret). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with its rows.
CREATE TABLE server_upstream_oauth_11 (
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
    registration           TEXT NOT NULL CHECK (registration IN ('admin', 'dynamic', 'metadata_document')),
    scopes                 TEXT NOT NULL DEFAULT '',
    updated_at             TEXT NOT NULL
) STRICT;
INSERT INTO server_upstream_oauth_11 (
    server_id, resource, issuer, authorization_endpoint, token_endpoint, revocation_endpoint,
    iss_parameter, client_id, client_secret_sealed, auth_method, registration, scopes, updated_at)
SELECT
    server_id, resource, issuer, authorization_endpoint, token_endpoint, revocation_endpoint,
    iss_parameter, client_id, client_secret_sealed, auth_method, registration, scopes, updated_at
FROM server_upstream_oauth;
DROP TABLE server_upstream_oauth;
ALTER TABLE server_upstream_oauth_11 RENAME TO server_upstream_oauth;
