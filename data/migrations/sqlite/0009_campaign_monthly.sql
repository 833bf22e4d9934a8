-- Monthly sums per campaign, kept exact by every import like the daily
-- platform sums: a question about campaigns (or their type, category or
-- region) over whole months reads a row per campaign and month instead of
-- a row per campaign and day. Column names are the measures'.
CREATE TABLE ad_campaign_monthly (
    month                  INTEGER NOT NULL, -- year * 100 + month
    campaign_id            INTEGER NOT NULL,
    spend                  REAL NOT NULL,
    impressions            REAL NOT NULL,
    clicks                 REAL NOT NULL,
    conversions            REAL NOT NULL,
    revenue                REAL NOT NULL,
    store_visits           REAL,
    engagements            REAL,
    video_views            REAL,
    ad_new_customers       REAL,
    store_visit_spend      REAL,
    engagement_impressions REAL,
    new_customer_spend     REAL,
    PRIMARY KEY (month, campaign_id)
) WITHOUT ROWID;

INSERT INTO ad_campaign_monthly
SELECT month, campaign_id, SUM(spend), SUM(impressions), SUM(clicks), SUM(conversions), SUM(revenue),
       SUM(store_visits), SUM(engagements), SUM(video_views), SUM(new_customers),
       SUM(CASE WHEN store_visits IS NOT NULL THEN spend END),
       SUM(CASE WHEN engagements IS NOT NULL THEN impressions END),
       SUM(CASE WHEN new_customers IS NOT NULL THEN spend END)
FROM ad_facts GROUP BY month, campaign_id;
