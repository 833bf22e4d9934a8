-- Incrementality evidence: lift and geo-holdout test results, and what a
-- marketing mix model (Meridian, Robyn, a partner's) says per channel.

-- One outcome of one test on one platform (campaign '' = the whole
-- platform). iroas is the incremental outcome per dollar of test spend (for
-- conversions, incremental conversions per dollar); ci_low and ci_high
-- bound it; lift_pct is a fraction.
CREATE TABLE experiments (
    test                TEXT COLLATE "C" NOT NULL,
    platform            TEXT COLLATE "C" NOT NULL,
    campaign            TEXT COLLATE "C" NOT NULL DEFAULT '',
    outcome             TEXT COLLATE "C" NOT NULL,
    campaign_type       TEXT COLLATE "C" NOT NULL DEFAULT '',
    start_date          TEXT    NOT NULL,
    end_date            TEXT    NOT NULL,
    test_spend          DOUBLE PRECISION NOT NULL,
    incremental_outcome DOUBLE PRECISION NOT NULL,
    lift_pct            DOUBLE PRECISION NOT NULL,
    iroas               DOUBLE PRECISION NOT NULL,
    ci_low              DOUBLE PRECISION NOT NULL,
    ci_high             DOUBLE PRECISION NOT NULL,
    p_value             DOUBLE PRECISION,
    significant         BOOLEAN,
    method              TEXT COLLATE "C" NOT NULL DEFAULT '',
    import_id           BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (test, platform, campaign, outcome)
);

CREATE INDEX experiments_end ON experiments (end_date);

-- One channel of one MMM run over one period: roi and mroi (marginal ROI)
-- are outcome per dollar; contribution is the outcome the model gives the
-- channel over the period.
CREATE TABLE mmm_results (
    model        TEXT COLLATE "C" NOT NULL,
    channel      TEXT COLLATE "C" NOT NULL,
    start_date   TEXT    NOT NULL,
    end_date     TEXT    NOT NULL,
    roi          DOUBLE PRECISION NOT NULL,
    mroi         DOUBLE PRECISION NOT NULL,
    contribution DOUBLE PRECISION NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (model, channel, start_date, end_date)
);

-- The response curve of one mmm_results row: the outcome the model expects
-- at a spend over the same period. A re-import of the row replaces them.
CREATE TABLE mmm_curve (
    model      TEXT COLLATE "C" NOT NULL,
    channel    TEXT COLLATE "C" NOT NULL,
    start_date TEXT    NOT NULL,
    end_date   TEXT    NOT NULL,
    spend      DOUBLE PRECISION NOT NULL,
    outcome    DOUBLE PRECISION NOT NULL,
    import_id  BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (model, channel, start_date, end_date, spend)
);
