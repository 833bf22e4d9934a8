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

-- Ad performance per day x platform x campaign. Dates are ISO text; week is the
-- Monday and month the first day, kept so grouping stays portable SQL.
CREATE TABLE ad_daily (
    date          TEXT NOT NULL,
    platform      TEXT NOT NULL,
    account       TEXT NOT NULL DEFAULT '',
    campaign      TEXT NOT NULL,
    week          TEXT NOT NULL,
    month         TEXT NOT NULL,
    campaign_type TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    spend         REAL NOT NULL,
    impressions   REAL NOT NULL,
    clicks        REAL NOT NULL,
    conversions   REAL NOT NULL,
    revenue       REAL NOT NULL,
    store_visits  REAL,
    engagements   REAL,
    video_views   REAL,
    new_customers REAL,
    import_id     INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (date, platform, account, campaign)
) WITHOUT ROWID;

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

CREATE INDEX ad_daily_platform_date ON ad_daily (platform, date);
CREATE INDEX imports_platform ON imports (platform, imported_at);
