-- mcpcp activity.db, schema version 3: no index on session_id.
-- Every live session has its own insertion point in that index, so with many sessions each
-- batch of records dirtied a page per session (2.5 times the WAL bytes per record at 64
-- sessions). `--where session_id=…` still finds a recent session's records fast by walking
-- the time index from the newest; bound older searches with --since.
DROP INDEX activity_by_session;
