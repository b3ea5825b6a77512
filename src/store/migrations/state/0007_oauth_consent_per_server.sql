-- mcpcp state.db, schema version 7: a consent names the server it was given for, and a grant
-- names the authorization code it was issued for.

-- A consent was remembered per (user, client): approving a client for one server let it get a
-- code for every other server without asking. It is now remembered per (user, client, server).
-- The old rows do not say which server the user saw on the consent page, so they are dropped:
-- each user is asked once more, per client and server.
DROP TABLE oauth_consents;
CREATE TABLE oauth_consents (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    server_id  INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id, server_id)
) STRICT;

-- The digest of the authorization code a grant was issued for (NULL for grants made before
-- schema 7). Unique: one code yields at most one token family, and a replayed code revokes the
-- family by this digest, even once the code itself is no longer held in memory.
ALTER TABLE oauth_grants ADD COLUMN code_hash TEXT;
CREATE UNIQUE INDEX oauth_grants_by_code ON oauth_grants (code_hash) WHERE code_hash IS NOT NULL;
