-- A file's content hash kept with its import, and the files a drop folder
-- refused, as migrations/sqlite/0007_content_hash.sql has them.
ALTER TABLE imports ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX imports_hash ON imports (hash);

CREATE TABLE refused_files (
    hash       TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    file       TEXT NOT NULL,
    error      TEXT NOT NULL,
    refused_at TEXT NOT NULL
);
