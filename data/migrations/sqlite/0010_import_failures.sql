-- Imports that were refused or failed, whoever ran them (`sowhat ingest`,
-- a source's sync), written after the import's own transaction was rolled
-- back: what operators count (sowhat_import_failures) and what the last
-- error said. Nothing of the failed import itself is in the store.
CREATE TABLE import_failures (
    id        INTEGER PRIMARY KEY,
    file      TEXT NOT NULL,
    kind      TEXT NOT NULL DEFAULT '',
    error     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
