-- Nothing here: see 0002_bot.sql. The bot's state tables may live in this
-- database, and dropping them (as SQLite's 0004 does) would lose them.
SELECT 1;
