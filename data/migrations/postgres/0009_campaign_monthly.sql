-- Monthly sums per campaign, kept exact by every import like the daily
-- platform sums: a question about campaigns (or their type, category or
-- region) over whole months reads a row per campaign and month instead of
-- a row per campaign and day. Column names are the measures'.
CREATE TABLE ad_campaign_monthly (
    month                  INTEGER NOT NULL, -- year * 100 + month
    campaign_id            BIGINT  NOT NULL,
    spend                  DOUBLE PRECISION NOT NULL,
    impressions            DOUBLE PRECISION NOT NULL,
    clicks                 DOUBLE PRECISION NOT NULL,
    conversions            DOUBLE PRECISION NOT NULL,
    revenue                DOUBLE PRECISION NOT NULL,
    store_visits           DOUBLE PRECISION,
    engagements            DOUBLE PRECISION,
    video_views            DOUBLE PRECISION,
    ad_new_customers       DOUBLE PRECISION,
    store_visit_spend      DOUBLE PRECISION,
    engagement_impressions DOUBLE PRECISION,
    new_customer_spend     DOUBLE PRECISION,
    PRIMARY KEY (month, campaign_id)
);

INSERT INTO ad_campaign_monthly
SELECT month, campaign_id, SUM(spend), SUM(impressions), SUM(clicks), SUM(conversions), SUM(revenue),
       SUM(store_visits), SUM(engagements), SUM(video_views), SUM(new_customers),
       SUM(CASE WHEN store_visits IS NOT NULL THEN spend END),
       SUM(CASE WHEN engagements IS NOT NULL THEN impressions END),
       SUM(CASE WHEN new_customers IS NOT NULL THEN spend END)
FROM ad_facts GROUP BY month, campaign_id;
