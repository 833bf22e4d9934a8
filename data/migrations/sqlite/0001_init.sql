-- The normalized store: one row per natural key, the import it came from kept.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    platform    TEXT    NOT NULL DEFAULT '',
    format      TEXT    NOT NULL DEFAULT '',
    rows        INTEGER NOT NULL DEFAULT 0,
    min_date    TEXT,
    max_date    TEXT,
    imported_at TEXT    NOT NULL
);

-- Ad performance per day x platform x campaign, stored compactly: days are
-- whole days since 1970-01-01, campaigns and platforms are small integer ids,
-- so an import is a stream of numbers and a range scan reads little.
CREATE TABLE platforms (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    platform_id   INTEGER NOT NULL REFERENCES platforms (id),
    account       TEXT    NOT NULL DEFAULT '',
    campaign      TEXT    NOT NULL,
    campaign_type TEXT    NOT NULL DEFAULT '',
    category      TEXT    NOT NULL DEFAULT '',
    region        TEXT    NOT NULL DEFAULT '',
    UNIQUE (platform_id, account, campaign)
);

CREATE TABLE ad_facts (
    day           INTEGER NOT NULL,
    campaign_id   INTEGER NOT NULL,
    platform_id   INTEGER NOT NULL,
    month         INTEGER NOT NULL, -- year * 100 + month
    spend         REAL    NOT NULL,
    impressions   REAL    NOT NULL,
    clicks        REAL    NOT NULL,
    conversions   REAL    NOT NULL,
    revenue       REAL    NOT NULL,
    store_visits  REAL,
    engagements   REAL,
    video_views   REAL,
    new_customers REAL,
    import_id     INTEGER NOT NULL,
    PRIMARY KEY (day, campaign_id)
) WITHOUT ROWID;

-- Daily sums per platform, rebuilt for the days and platforms each import
-- touches: most executive questions (a platform, a period) read a few
-- hundred rows here instead of every campaign-day.
CREATE TABLE ad_platform_daily (
    day                    INTEGER NOT NULL,
    platform_id            INTEGER NOT NULL,
    month                  INTEGER NOT NULL,
    spend                  REAL NOT NULL,
    impressions            REAL NOT NULL,
    clicks                 REAL NOT NULL,
    conversions            REAL NOT NULL,
    revenue                REAL NOT NULL,
    store_visits           REAL,
    engagements            REAL,
    video_views            REAL,
    ad_new_customers       REAL,
    PRIMARY KEY (day, platform_id)
) WITHOUT ROWID;

-- The readable form of ad_facts, for people and ad-hoc SQL.
CREATE VIEW ad_daily AS
SELECT date(f.day * 86400, 'unixepoch') AS date,
       p.name AS platform,
       c.account,
       c.campaign,
       date((f.day - (f.day + 3) % 7) * 86400, 'unixepoch') AS week,
       printf('%04d-%02d-01', f.month / 100, f.month % 100) AS month,
       c.campaign_type,
       c.category,
       c.region,
       f.spend, f.impressions, f.clicks, f.conversions, f.revenue,
       f.store_visits, f.engagements, f.video_views, f.new_customers,
       f.import_id
FROM ad_facts f
JOIN campaigns c ON c.id = f.campaign_id
JOIN platforms p ON p.id = f.platform_id;

-- First-party business results per day x channel (online, store).
CREATE TABLE business_daily (
    date          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    week          TEXT NOT NULL,
    month         TEXT NOT NULL,
    orders        REAL NOT NULL,
    revenue       REAL NOT NULL,
    new_customers REAL NOT NULL,
    gross_profit  REAL,
    import_id     INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (date, channel)
) WITHOUT ROWID;

-- Planned spend per month x platform, optionally per campaign ('' = platform).
CREATE TABLE budgets (
    month     TEXT NOT NULL,
    platform  TEXT NOT NULL,
    campaign  TEXT NOT NULL DEFAULT '',
    budget    REAL NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (month, platform, campaign)
);

CREATE TABLE brand_lift (
    study       TEXT    NOT NULL,
    platform    TEXT    NOT NULL,
    start_date  TEXT    NOT NULL,
    end_date    TEXT    NOT NULL,
    metric      TEXT    NOT NULL,
    lift        REAL    NOT NULL,
    significant INTEGER,
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (study, platform, metric)
);

CREATE INDEX imports_platform ON imports (platform, imported_at);
