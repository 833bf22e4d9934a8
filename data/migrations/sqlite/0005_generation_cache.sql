-- What a process derives from the data once per import generation (the
-- vocabulary of names the parser reads questions with), so that the next
-- process reads one row instead of deriving it again from every campaign.
CREATE TABLE generation_cache (
    name       TEXT    PRIMARY KEY,
    generation INTEGER NOT NULL,
    body       TEXT    NOT NULL
);
