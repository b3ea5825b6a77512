-- mcpcp state.db, schema version 15: administrators other than the person at the machine, the
-- roles they hold, and their API tokens.
--
-- Permissions are named in code (`policy::rbac::PERMISSIONS`); a custom role stores its
-- permission names joined by commas. The built-in roles (owner, admin, server-manager, auditor,
-- viewer) live in code only; a custom role may not take one of their names.
CREATE TABLE admin_roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL CHECK (permissions <> ''),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- An admin signs in with a password (argon2id), or is bound to an identity provider's subject.
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    email         TEXT,
    password_hash TEXT,
    sso_subject   TEXT UNIQUE,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- A role held by an admin, everywhere (server_id NULL) or on one server. Deleting the server
-- deletes the bindings scoped to it; a role in use cannot be deleted (checked by the operation).
CREATE TABLE admin_bindings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    server_id  INTEGER REFERENCES servers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX admin_bindings_global ON admin_bindings (admin_id, role) WHERE server_id IS NULL;
CREATE UNIQUE INDEX admin_bindings_scoped ON admin_bindings (admin_id, role, server_id) WHERE server_id IS NOT NULL;

-- A role held by every SSO admin whose identity provider puts them in a group.
CREATE TABLE admin_idp_bindings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    idp_group  TEXT NOT NULL,
    role       TEXT NOT NULL,
    server_id  INTEGER REFERENCES servers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX admin_idp_bindings_global ON admin_idp_bindings (idp_group, role) WHERE server_id IS NULL;
CREATE UNIQUE INDEX admin_idp_bindings_scoped ON admin_idp_bindings (idp_group, role, server_id)
    WHERE server_id IS NOT NULL;

-- An admin's API token: only its SHA-256 is kept. A token may be narrowed to one role (held by
-- its admin) and to some servers (`scoped` = 1, the servers in admin_token_servers: a token
-- scoped to servers that were all deleted reaches none, never all); it never holds more than its
-- admin.
CREATE TABLE admin_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT,
    scoped     INTEGER NOT NULL DEFAULT 0 CHECK (scoped IN (0, 1)),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    UNIQUE (admin_id, name)
) STRICT;

CREATE TABLE admin_token_servers (
    token_id  INTEGER NOT NULL REFERENCES admin_tokens (id) ON DELETE CASCADE,
    server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, server_id)
) STRICT;
