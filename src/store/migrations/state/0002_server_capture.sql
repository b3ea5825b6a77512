-- mcpcp state.db, schema version 2: per-server activity capture.
-- full: every request with its inputs and outputs; metadata: without inputs and outputs;
-- off: no activity records for this server.
ALTER TABLE servers ADD COLUMN capture TEXT NOT NULL DEFAULT 'full' CHECK (capture IN ('full', 'metadata', 'off'));
