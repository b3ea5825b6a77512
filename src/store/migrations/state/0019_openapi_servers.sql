-- mcpcp state.db, schema version 19: OpenAPI servers. A server's `kind` may be `openapi`: a REST
-- API whose operations are its tools (`server create NAME --openapi FILE|URL --base-url URL`); its
-- `transport` is `http` and `url` the API's base URL, so upstream credentials (`header`, `oauth`)
-- apply as to a proxy server's. `servers` is rebuilt for the new CHECK, as schema 17 did.
CREATE TABLE servers_19 (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    name                    TEXT NOT NULL UNIQUE,
    kind                    TEXT NOT NULL DEFAULT 'proxy' CHECK (kind IN ('proxy', 'composed', 'openapi')),
    transport               TEXT NOT NULL CHECK (transport IN ('http', 'stdio', 'none')),
    url                     TEXT,
    command                 TEXT,
    env_keys                TEXT,
    env_sealed              BLOB,
    auth                    TEXT NOT NULL CHECK (auth IN ('api-token', 'password', 'sso')),
    description             TEXT NOT NULL DEFAULT '',
    enabled                 INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    capture                 TEXT NOT NULL DEFAULT 'full' CHECK (capture IN ('full', 'metadata', 'off')),
    upstream_auth           TEXT NOT NULL DEFAULT 'none' CHECK (upstream_auth IN ('none', 'header', 'oauth')),
    upstream_header_names   TEXT,
    upstream_headers_sealed BLOB,
    identity_forward        TEXT NOT NULL DEFAULT 'none'
        CHECK (identity_forward IN ('none', 'headers', 'jwt', 'meta', 'headers,jwt', 'headers,meta', 'jwt,meta',
                                    'headers,jwt,meta')),
    identity_jwt_header     TEXT NOT NULL DEFAULT 'x-mcpcp-identity',
    CHECK ((kind = 'proxy' AND transport = 'http' AND url IS NOT NULL AND command IS NULL)
        OR (kind = 'proxy' AND transport = 'stdio' AND command IS NOT NULL AND url IS NULL)
        OR (kind = 'composed' AND transport = 'none' AND url IS NULL AND command IS NULL
            AND env_sealed IS NULL AND upstream_auth = 'none')
        OR (kind = 'openapi' AND transport = 'http' AND url IS NOT NULL AND command IS NULL AND env_sealed IS NULL))
) STRICT;
INSERT INTO servers_19 (
    id, name, kind, transport, url, command, env_keys, env_sealed, auth, description, enabled, created_at,
    updated_at, capture, upstream_auth, upstream_header_names, upstream_headers_sealed, identity_forward,
    identity_jwt_header)
SELECT
    id, name, kind, transport, url, command, env_keys, env_sealed, auth, description, enabled, created_at,
    updated_at, capture, upstream_auth, upstream_header_names, upstream_headers_sealed, identity_forward,
    identity_jwt_header
FROM servers;
DELETE FROM sqlite_sequence WHERE name = 'servers_19';
INSERT INTO sqlite_sequence (name, seq) SELECT 'servers_19', seq FROM sqlite_sequence WHERE name = 'servers';
DROP TABLE servers;
ALTER TABLE servers_19 RENAME TO servers;

-- Where an OpenAPI server's document was read from (a file path or a URL), the SHA-256 (hex) of
-- the document its tools come from, the selection (JSON: `operations`, `tag`), whether
-- unsupported operations are skipped, and which were (JSON array of {operation, reason}).
CREATE TABLE openapi_documents (
    server_id        INTEGER PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    source           TEXT NOT NULL,
    hash             TEXT NOT NULL,
    selection        TEXT NOT NULL DEFAULT '{}',
    skip_unsupported INTEGER NOT NULL DEFAULT 0 CHECK (skip_unsupported IN (0, 1)),
    skipped          TEXT NOT NULL DEFAULT '[]',
    read_at          TEXT NOT NULL
) STRICT;

-- An OpenAPI server's operations: the tool (its definition and state are in `tools`, like any
-- server's) and the operation it calls (JSON: method, path template, parameters, body), which
-- the snapshot keeps so a call needs no SQL.
CREATE TABLE openapi_operations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    tool       TEXT NOT NULL,
    operation  TEXT NOT NULL,
    UNIQUE (server_id, tool)
) STRICT;
