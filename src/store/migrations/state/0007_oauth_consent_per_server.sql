-- mcpcp state.db, schema version 7: a consent names the server it was given for.

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

