-- mcpcp state.db, schema version 13: the caller's identity carried to a server's upstream, and
-- the keys that sign it.
--
-- `servers.identity_forward`: `none`, or the ways the upstream learns who calls, in this order
-- and joined by commas: `headers` (X-MCPCP-User and its siblings on every HTTP request), `jwt` (a
-- signed JWT in the header `identity_jwt_header`), `meta` (params._meta["io.mcpcp/identity"]).
ALTER TABLE servers ADD COLUMN identity_forward TEXT NOT NULL DEFAULT 'none'
    CHECK (identity_forward IN ('none', 'headers', 'jwt', 'meta', 'headers,jwt', 'headers,meta', 'jwt,meta',
                                'headers,jwt,meta'));
ALTER TABLE servers ADD COLUMN identity_jwt_header TEXT NOT NULL DEFAULT 'x-mcpcp-identity';

-- The Ed25519 keys mcpcp signs identity JWTs with. `kid` is the public key's RFC 7638 thumbprint;
-- the private key is a PKCS#8 document sealed with the data directory's key, bound to its kid.
-- The current key has no `retired_at`; `mcpcp key rotate` retires it and adds a new one. A
-- retired key stays published at /.well-known/jwks.json until every token it signed has expired,
-- and a later rotation deletes it.
CREATE TABLE signing_keys (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kid                TEXT NOT NULL UNIQUE,
    algorithm          TEXT NOT NULL CHECK (algorithm = 'EdDSA'),
    public_key         BLOB NOT NULL CHECK (length(public_key) = 32),
    private_key_sealed BLOB NOT NULL,
    created_at         TEXT NOT NULL,
    retired_at         TEXT
) STRICT;

-- At most one current key.
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (algorithm) WHERE retired_at IS NULL;
