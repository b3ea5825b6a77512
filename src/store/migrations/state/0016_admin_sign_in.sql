-- mcpcp state.db, schema version 16: admin tokens issued by a sign-in (`mcpcp admin login`).
--
-- `sign_in` says how a token was issued: NULL for `admin token create`, 'sso' for a sign-in
-- through the identity provider. The identity provider groups the ID token asserted at that
-- sign-in are kept with the token: the roles bound to them (`admin_idp_bindings`) count in its
-- authority for as long as it lives, and unbinding a role takes it from the token at once.
ALTER TABLE admin_tokens ADD COLUMN sign_in TEXT CHECK (sign_in IN ('sso'));

CREATE TABLE admin_token_idp_groups (
    token_id  INTEGER NOT NULL REFERENCES admin_tokens (id) ON DELETE CASCADE,
    idp_group TEXT NOT NULL,
    PRIMARY KEY (token_id, idp_group)
) STRICT;
