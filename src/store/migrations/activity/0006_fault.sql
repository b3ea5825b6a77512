-- mcpcp activity.db, schema version 6: whose fault a refused or failed call was (`client`,
-- `upstream`, `operator`, `internal`; NULL for a call that succeeded), for `logs tail --fault`.
-- Added last to both tables, so `activity_recent` still folds into `activity` column for column.
-- The index holds failures only: successes, nearly every row, cost it nothing.
ALTER TABLE activity ADD COLUMN fault TEXT CHECK (fault IN ('client', 'upstream', 'operator', 'internal'));
ALTER TABLE activity_recent ADD COLUMN fault TEXT CHECK (fault IN ('client', 'upstream', 'operator', 'internal'));
CREATE INDEX activity_by_fault ON activity (fault, time) WHERE fault IS NOT NULL;
