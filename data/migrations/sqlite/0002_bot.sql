-- Chat events already handled: a retried or duplicate delivery is answered once,
-- even across restarts.
CREATE TABLE bot_events (
    event_id    TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- What a conversation thread was last about, so follow-ups keep context.
CREATE TABLE bot_threads (
    thread_key TEXT PRIMARY KEY,
    request    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per (digest, scheduled time) or alert post: whoever inserts it posts it.
CREATE TABLE report_claims (
    claim_key  TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    posted_at  TEXT
);

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
