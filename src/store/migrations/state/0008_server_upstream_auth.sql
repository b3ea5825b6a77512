-- mcpcp state.db, schema version 8: how the gateway authenticates to a server's upstream.
-- `none`: it sends no credential of its own. `header`: static headers (an API key, a bearer
-- token: one shared credential), their names in `upstream_header_names` (a JSON list) and their
-- values sealed with the data directory's key in `upstream_headers_sealed` (a JSON object), as a
-- stdio server's environment is. `oauth` is reserved for per-user upstream sign-in.
ALTER TABLE servers ADD COLUMN upstream_auth TEXT NOT NULL DEFAULT 'none'
    CHECK (upstream_auth IN ('none', 'header', 'oauth'));
ALTER TABLE servers ADD COLUMN upstream_header_names TEXT;
ALTER TABLE servers ADD COLUMN upstream_headers_sealed BLOB;
