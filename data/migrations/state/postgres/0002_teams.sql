-- Microsoft Teams conversation references, as
-- migrations/state/sqlite/0002_teams.sql has them: one per channel or chat
-- the bot has seen in a verified activity (the service URL is only ever one
-- the Bot Connector sent); unreachable_at is set when Teams refused a post
-- because the app was removed, and cleared when the bot is seen there again.
CREATE TABLE teams_conversations (
    channel_id      TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    service_url     TEXT NOT NULL,
    tenant_id       TEXT NOT NULL DEFAULT '',
    team_id         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    unreachable_at  TEXT
);
