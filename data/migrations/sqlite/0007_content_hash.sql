-- A file's content hash (SHA-256, hex) kept with its import, written in the
-- import's own transaction: a drop folder imports each content once, however
-- many times it is dropped, restarted or raced by another replica. NULL for
-- imports that do not record one (`sowhat ingest`, where a re-import is the
-- point); a unique index lets any number of them be NULL.
ALTER TABLE imports ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX imports_hash ON imports (hash);

-- Files a drop folder refused, by content hash: the first refusal of a
-- content is reported, a copy of it again is not. Nothing of theirs is in
-- the store.
CREATE TABLE refused_files (
    hash       TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    file       TEXT NOT NULL,
    error      TEXT NOT NULL,
    refused_at TEXT NOT NULL
);
