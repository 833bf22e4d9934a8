-- The bot's state (events, threads, report claims, alert incidents) lives in
-- its own database now (see migrations/state): an import's long write
-- transaction here no longer holds up the bot.
DROP TABLE IF EXISTS bot_events;
DROP TABLE IF EXISTS bot_threads;
DROP TABLE IF EXISTS report_claims;
DROP TABLE IF EXISTS alert_incidents;
