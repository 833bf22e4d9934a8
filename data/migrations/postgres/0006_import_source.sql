-- The configured source an import was synced from, as
-- migrations/sqlite/0006_import_source.sql has it.
ALTER TABLE imports ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX imports_source ON imports (source, imported_at);
