-- mcpcp activity.db, schema version 5: the position in the activity journal.
-- A request appends its record to the journal (append-only files in `activity-journal/`
-- beside this database) before its answer is released; the writer thread moves journal
-- entries into this database in batches. `seq` is the last entry written here, updated in the
-- same transaction as the rows, so after a crash the entries past it are written exactly once.
CREATE TABLE journal_position (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL CHECK (seq >= 0)
) STRICT;
INSERT INTO journal_position (id, seq) VALUES (1, 0);
