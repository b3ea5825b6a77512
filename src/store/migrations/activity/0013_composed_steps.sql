-- mcpcp activity.db, schema version 13: the steps of a call to a composed server's tool.
-- `origin` is the source tool it forwarded to (`SERVER:TOOL`; NULL for other calls), indexed for
-- `logs tail --origin`; `steps` a JSON array of the upstream calls the gateway made for it, each
-- with its target, the connection it used, its input and output (redacted and capped like the
-- record's), status, start offset and duration (µs), and error. Both tables get the columns in
-- the same order, so `activity_recent` still folds into `activity` column for column.
ALTER TABLE activity ADD COLUMN origin TEXT;
ALTER TABLE activity ADD COLUMN steps TEXT;
ALTER TABLE activity_recent ADD COLUMN origin TEXT;
ALTER TABLE activity_recent ADD COLUMN steps TEXT;
CREATE INDEX activity_origin_time ON activity (origin, time) WHERE origin IS NOT NULL;
