-- Incrementality evidence: lift and geo-holdout test results, and what a
-- marketing mix model (Meridian, Robyn, a partner's) says per channel.

-- One outcome of one test on one platform (campaign '' = the whole
-- platform). iroas is the incremental outcome per dollar of test spend (for
-- conversions, incremental conversions per dollar); ci_low and ci_high
-- bound it; lift_pct is a fraction.
CREATE TABLE experiments (
    test                TEXT    NOT NULL,
    platform            TEXT    NOT NULL,
    campaign            TEXT    NOT NULL DEFAULT '',
    outcome             TEXT    NOT NULL,
    campaign_type       TEXT    NOT NULL DEFAULT '',
    start_date          TEXT    NOT NULL,
    end_date            TEXT    NOT NULL,
    test_spend          REAL    NOT NULL,
    incremental_outcome REAL    NOT NULL,
    lift_pct            REAL    NOT NULL,
    iroas               REAL    NOT NULL,
    ci_low              REAL    NOT NULL,
    ci_high             REAL    NOT NULL,
    p_value             REAL,
    significant         INTEGER,
    method              TEXT    NOT NULL DEFAULT '',
    import_id           INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (test, platform, campaign, outcome)
);

CREATE INDEX experiments_end ON experiments (end_date);

-- One channel of one MMM run over one period: roi and mroi (marginal ROI)
-- are outcome per dollar; contribution is the outcome the model gives the
-- channel over the period.
CREATE TABLE mmm_results (
    model        TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    start_date   TEXT    NOT NULL,
    end_date     TEXT    NOT NULL,
    roi          REAL    NOT NULL,
    mroi         REAL    NOT NULL,
    contribution REAL    NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (model, channel, start_date, end_date)
);

-- The response curve of one mmm_results row: the outcome the model expects
-- at a spend over the same period. A re-import of the row replaces them.
CREATE TABLE mmm_curve (
    model      TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    start_date TEXT    NOT NULL,
    end_date   TEXT    NOT NULL,
    spend      REAL    NOT NULL,
    outcome    REAL    NOT NULL,
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (model, channel, start_date, end_date, spend)
);
