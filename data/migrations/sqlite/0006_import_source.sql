-- The configured source (SOURCES_CONFIG) an import was synced from, '' for
-- a file imported by hand: each sync reads from the newest day its source
-- already delivered, and answers say which source a platform's data came
-- from and when it last synced.
ALTER TABLE imports ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX imports_source ON imports (source, imported_at);
