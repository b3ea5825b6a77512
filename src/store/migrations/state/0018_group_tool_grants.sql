-- mcpcp state.db, schema version 18: a group may grant some of a server's tools only
-- (`group grant GROUP SERVER --tools a,b`). `group_servers.tools` NULL: every tool of the server;
-- else a JSON array of the names of the tools the group's members see and may call (for a
-- composed server, the names its clients see).
ALTER TABLE group_servers ADD COLUMN tools TEXT;
