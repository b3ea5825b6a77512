-- mcpcp state.db, schema version 1: configuration, identities, grants, tokens, audit.
-- Shipped migrations are never edited; add a new numbered file instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Bumped in every admin transaction so a running gateway can tell its snapshot is stale.
INSERT INTO meta (key, value) VALUES ('generation', '0');

CREATE TABLE servers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- ids are never reused
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL DEFAULT 'proxy' CHECK (kind IN ('proxy')),
    transport   TEXT NOT NULL CHECK (transport IN ('http', 'stdio')),
    url         TEXT,
    command     TEXT,             -- JSON array of argv for stdio servers
    env_keys    TEXT,             -- JSON array of the variable names, for display and audit
    env_sealed  BLOB,             -- the variables themselves, sealed with the data-dir key
    auth        TEXT NOT NULL CHECK (auth IN ('api-token', 'password', 'sso')),
    description TEXT NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((transport = 'http' AND url IS NOT NULL AND command IS NULL)
        OR (transport = 'stdio' AND command IS NOT NULL AND url IS NULL))
) STRICT;

CREATE TABLE tools (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id    INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    title        TEXT,
    description  TEXT NOT NULL DEFAULT '',
    input_schema TEXT NOT NULL DEFAULT '{"type":"object"}',
    state        TEXT NOT NULL DEFAULT 'started' CHECK (state IN ('started', 'stopped')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (server_id, name)
) STRICT;

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL,          -- first characters of the secret, to recognise it
    hash       TEXT NOT NULL UNIQUE,   -- SHA-256 of the whole secret, hex
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    UNIQUE (server_id, name)
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    email         TEXT,
    password_hash TEXT,                -- argon2id PHC string
    idp_subject   TEXT UNIQUE,         -- set for users created by SSO sign-in
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE group_servers (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, server_id)
) STRICT;
CREATE INDEX group_servers_by_server ON group_servers (server_id);

-- Append-only, hash-chained: hash = SHA-256 over the row's content and prev_hash.
CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    time          TEXT NOT NULL,
    actor_kind    TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    changes       TEXT NOT NULL,       -- JSON object: field -> {before, after} or {changed: true}
    origin        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_time ON audit (time);
CREATE INDEX audit_by_actor ON audit (actor_name);
CREATE INDEX audit_by_action ON audit (action);
