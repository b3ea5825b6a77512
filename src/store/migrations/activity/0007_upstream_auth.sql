-- mcpcp activity.db, schema version 7: which credential a forwarded call carried to the upstream
-- (`none`, `header`: the server's static headers), never the credential itself.
ALTER TABLE activity ADD COLUMN upstream_auth TEXT;
ALTER TABLE activity_recent ADD COLUMN upstream_auth TEXT;
