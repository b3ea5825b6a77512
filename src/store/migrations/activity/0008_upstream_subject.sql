-- mcpcp activity.db, schema version 8: for a call that carried a linked upstream account
-- (`upstream_auth` `user` or `shared`), that account's subject at the upstream, when the
-- upstream said it (the `sub` of the ID token it issued with the account's tokens).
ALTER TABLE activity ADD COLUMN upstream_subject TEXT;
ALTER TABLE activity_recent ADD COLUMN upstream_subject TEXT;
