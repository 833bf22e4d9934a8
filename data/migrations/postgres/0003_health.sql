-- One row that the readiness check (/readyz) overwrites: it proves a commit
-- goes through without the table ever growing.
CREATE TABLE health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
