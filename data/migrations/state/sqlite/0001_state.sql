-- The bot's own state, in a database of its own so that its small writes
-- never wait behind an import's transaction in the analytics database.

-- The replicas serving: each writes its heartbeat here. Work an owner took
-- (an event, a digest run) and did not finish is taken over by another
-- replica once the owner's heartbeat is older than the lease.
CREATE TABLE replicas (
    owner      TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);

-- Chat events, one row per event id, written before the platform is told
-- the event was received. state: 'accepted' (acknowledged, not yet
-- answered), 'posting' (its reply is on its way), 'done'. An unfinished
-- event keeps the message, so whoever finishes it can answer it.
CREATE TABLE bot_events (
    event_id    TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    received_at TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('accepted', 'posting', 'done')),
    owner       TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    done_at     TEXT
);
CREATE INDEX bot_events_unfinished ON bot_events (platform, received_at) WHERE state <> 'done';
CREATE INDEX bot_events_received ON bot_events (received_at);

-- What a conversation thread was last about, so follow-ups keep context.
CREATE TABLE bot_threads (
    thread_key TEXT PRIMARY KEY,
    request    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per (digest, scheduled time): whoever inserts it posts it; one
-- never marked posted is taken over once its owner's lease has expired.
CREATE TABLE report_claims (
    claim_key  TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    posted_at  TEXT
);
CREATE INDEX report_claims_unposted ON report_claims (claimed_at) WHERE posted_at IS NULL;

-- Alert incidents: open until the condition clears; posted once when opened
-- and once when cleared.
CREATE TABLE alert_incidents (
    id         INTEGER PRIMARY KEY,
    rule       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    cleared_at TEXT,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alert_incidents_open ON alert_incidents (rule, subject) WHERE cleared_at IS NULL;

-- One row that the readiness check overwrites.
CREATE TABLE health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
