-- Microsoft Teams conversation references, one per channel or chat the bot
-- has seen in a verified activity: what a reply or a proactive post needs
-- to reach it (the service URL is only ever one the Bot Connector sent).
-- channel_id is the Teams channel id (19:…@thread.tacv2) for a team's
-- channel, the conversation id for a personal or group chat.
-- unreachable_at is set when Teams refused a post because the app was
-- removed (MessageWritesBlocked), and cleared when the bot is seen there
-- again.
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
