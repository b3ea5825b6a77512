-- mcpcp state.db, schema version 3: mcpcp as the OAuth 2.1 authorization server.

-- Clients that registered dynamically (RFC 7591). Clients identified by a client ID metadata
-- document (an https URL) are fetched when used and cached here too (kind 'cimd').
CREATE TABLE oauth_clients (
    client_id          TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('dcr', 'cimd')),
    client_name        TEXT NOT NULL,
    redirect_uris      TEXT NOT NULL,            -- JSON array
    secret_hash        TEXT,                     -- SHA-256 of the client secret, for confidential clients
    auth_method        TEXT NOT NULL CHECK (auth_method IN ('none', 'client_secret_post', 'client_secret_basic')),
    metadata           TEXT NOT NULL,            -- the registration request as received (JSON)
    created_at         TEXT NOT NULL
) STRICT;

-- A user's consent to a client, remembered per (user, client).
CREATE TABLE oauth_consents (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
) STRICT;

-- A grant: one sign-in of a user to one client for one server. Access and refresh tokens
-- belong to a grant (a token family); revoking the grant revokes them all.
CREATE TABLE oauth_grants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    server_id    INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    method       TEXT NOT NULL CHECK (method IN ('password', 'sso')),
    scope        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,                  -- absolute end of the family
    revoked_at   TEXT,
    revoked_why  TEXT
) STRICT;
CREATE INDEX oauth_grants_by_user ON oauth_grants (user_id);

CREATE TABLE oauth_tokens (
    hash       TEXT PRIMARY KEY,                 -- SHA-256 of the token
    grant_id   INTEGER NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT                              -- a refresh token, when it was rotated
) STRICT;
CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);

-- SSO through one external OpenID Connect provider (mcpcp sso set).
CREATE TABLE sso (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    issuer        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    secret_sealed BLOB NOT NULL,
    scopes        TEXT NOT NULL,                 -- JSON array
    groups_claim  TEXT,
    group_map     TEXT NOT NULL,                 -- JSON object: IdP group -> mcpcp group
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at    TEXT NOT NULL
) STRICT;
