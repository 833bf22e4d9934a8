-- Nothing here: in SQLite this version added the bot's tables to the
-- analytics database, and 0004 took them out again. In PostgreSQL the
-- bot's state has always had its own tables (migrations/state/postgres),
-- which may share this database, so this version must not touch them.
SELECT 1;
