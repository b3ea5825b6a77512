-- mcpcp state.db, schema version 17: composed servers. A server's `kind` is `proxy` (it has an
-- upstream: `transport` http or stdio) or `composed` (no upstream of its own, `transport` none:
-- its tools are picked from other servers, `composed_tools`). SQLite cannot change a CHECK
-- constraint in place, so `servers` is rebuilt with its rows (the migration runs with foreign keys
-- off, so the tables that reference it keep their rows; the id sequence is carried over, so an id
-- is never reused).
CREATE TABLE servers_17 (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    name                    TEXT NOT NULL UNIQUE,
    kind                    TEXT NOT NULL DEFAULT 'proxy' CHECK (kind IN ('proxy', 'composed')),
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
            AND env_sealed IS NULL AND upstream_auth = 'none'))
) STRICT;
INSERT INTO servers_17 (
    id, name, kind, transport, url, command, env_keys, env_sealed, auth, description, enabled, created_at,
    updated_at, capture, upstream_auth, upstream_header_names, upstream_headers_sealed, identity_forward,
    identity_jwt_header)
SELECT
    id, name, kind, transport, url, command, env_keys, env_sealed, auth, description, enabled, created_at,
    updated_at, capture, upstream_auth, upstream_header_names, upstream_headers_sealed, identity_forward,
    identity_jwt_header
FROM servers;
DELETE FROM sqlite_sequence WHERE name = 'servers_17';
INSERT INTO sqlite_sequence (name, seq) SELECT 'servers_17', seq FROM sqlite_sequence WHERE name = 'servers';
DROP TABLE servers;
ALTER TABLE servers_17 RENAME TO servers;

-- The tools of a composed server: each forwards to a tool of another (proxy) server. `name` is
-- what clients see; `description` NULL takes the source tool's. `fixed` is a JSON object of the
-- arguments the gateway sets (removed from the schema clients see; a client's value for one is
-- replaced), `hidden` a JSON array of optional arguments removed from it. The source server's
-- name is kept for display once it is deleted (`source_server_id` then becomes NULL and calls are
-- refused).
CREATE TABLE composed_tools (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id          INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    description        TEXT,
    source_server_id   INTEGER REFERENCES servers (id) ON DELETE SET NULL,
    source_server_name TEXT NOT NULL,
    source_tool        TEXT NOT NULL,
    fixed              TEXT NOT NULL DEFAULT '{}',
    hidden             TEXT NOT NULL DEFAULT '[]',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (server_id, name)
) STRICT;
CREATE INDEX composed_tools_by_source ON composed_tools (source_server_id);
