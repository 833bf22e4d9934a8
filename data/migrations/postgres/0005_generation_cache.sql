-- What a process derives from the data once per import generation (the
-- vocabulary of names the parser reads questions with), as
-- migrations/sqlite/0005_generation_cache.sql has it.
CREATE TABLE generation_cache (
    name       TEXT    PRIMARY KEY,
    generation BIGINT  NOT NULL,
    body       TEXT    NOT NULL
);
