-- mcpcp state.db, schema version 12: tokens of removed upstream connections, waiting for the
-- gateway to revoke them at the upstream's authorization server (RFC 7009). Whatever removes a
-- connection (a user disconnected, disabled, deleted or out of the group that grants the server,
-- a relink, a refresh the upstream refused, the server's sign-in settings changed or the server
-- deleted) queues its tokens in the same transaction, through the trigger below, when the
-- server's authorization server has a revocation endpoint. The row keeps what the revocation
-- needs after the connection, the settings or the server are gone: the tokens (still sealed
-- under their server and user ids), the endpoint, mcpcp's client there (its secret sealed as in
-- server_upstream_oauth) and the upstream's URL (whether the endpoint may be private). The
-- gateway deletes a row once the endpoint answered, or after its last attempt.
CREATE TABLE upstream_revocations (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id            INTEGER NOT NULL,     -- no foreign key: the server may be gone
    user_id              INTEGER,              -- NULL: the server's shared connection
    tokens_sealed        BLOB NOT NULL,
    endpoint             TEXT NOT NULL,
    resource             TEXT NOT NULL,
    client_id            TEXT NOT NULL,
    client_secret_sealed BLOB,
    auth_method          TEXT NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER upstream_connections_revoke AFTER DELETE ON upstream_connections
BEGIN
    INSERT INTO upstream_revocations
        (server_id, user_id, tokens_sealed, endpoint, resource, client_id, client_secret_sealed, auth_method)
    SELECT OLD.server_id, OLD.user_id, OLD.tokens_sealed, o.revocation_endpoint, o.resource, o.client_id,
           o.client_secret_sealed, o.auth_method
    FROM server_upstream_oauth o
    WHERE o.server_id = OLD.server_id AND o.revocation_endpoint IS NOT NULL;
END;
