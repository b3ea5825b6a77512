-- mcpcp activity.db, schema version 12: how many times a call's answer stream was resumed (the
-- client reconnecting with Last-Event-ID, mcpcp continuing an upstream's stream that closed
-- before the response; 2025-11-25 SEP-1699). NULL when it never was. Added to both tables at
-- the end, so `activity_recent` still folds into `activity` column for column.
ALTER TABLE activity ADD COLUMN resumed INTEGER;
ALTER TABLE activity_recent ADD COLUMN resumed INTEGER;
