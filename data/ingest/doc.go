// Package ingest reads the files marketing teams have — canonical CSVs and
// the exports every ad platform lets people download — and writes their rows
// to the store through data.Store.Ingest, one file per transaction.
//
// A file's format is recognised from its header row, wherever it is among
// the first lines: header names are matched without regard to case, spaces
// or underscores, in any order, and columns sowhat does not use are ignored.
//
// Canonical files (Format "canonical"):
//
//	ads:        date, platform, campaign, spend, impressions, clicks, conversions, revenue
//	            [, account, campaign_type, category, region, store_visits, engagements,
//	            video_views, new_customers, currency]
//	business:   date, channel, orders, revenue, new_customers [, gross_profit, currency]
//	budgets:    month, platform, budget [, campaign, currency]
//	brand_lift: study, platform, start_date, end_date, metric, lift_pct [, significant]
//	experiments: test, platform, start_date, end_date, outcome, test_spend,
//	            incremental_outcome, lift_pct, iroas, ci_low, ci_high
//	            [, campaign, campaign_type, p_value, significant, method, currency]
//	mmm:        model, channel, start_date, end_date, roi, mroi, contribution
//	            [, curve_spend, curve_outcome, currency]
//
// An experiments row is one outcome (revenue or conversions) of one lift
// study or geo holdout: iroas is the incremental outcome per dollar of
// test_spend (for conversions, incremental conversions per dollar), ci_low
// and ci_high the interval around it, lift_pct the incremental outcome over
// the baseline as a fraction or a percentage. A row is keyed by test,
// platform, campaign and outcome; a later import replaces it.
//
// An mmm row is one channel of one model run (Meridian, Robyn, a partner's)
// over one period: roi and mroi (marginal ROI, the outcome of the next
// dollar) are outcome per dollar, contribution the outcome the model credits
// the channel with over the period. A channel named like a platform is
// stored as its platform id; others (tv, radio) as written, in lower snake
// case. The response curve, when the model gives one, is one row per point,
// repeating the channel's results with curve_spend (a spend over the same
// period) and curve_outcome (the outcome the model expects from it); a
// later import of the same model, channel and period replaces its curve.
//
// Native exports, each recognised by its platform's own column names (the
// first name listed is the one the platform uses today):
//
//	google_ads      Day, Campaign, Cost, Impr., Clicks, Conversions, Conv. value
//	meta            Day (or Reporting starts + Reporting ends), Campaign name,
//	                Amount spent (USD), Impressions, Link clicks, Purchases,
//	                Purchases conversion value
//	amazon_sp       Date, Campaign Name, Spend, Impressions, Clicks,
//	                7 Day Total Orders (#), 7 Day Total Sales
//	amazon_sb       the same with 14 Day columns
//	amazon_sd       the same with 14 Day columns and Cost type, Bid optimization or Tactic
//	the_trade_desk  Date, Campaign, Advertiser Cost (Adv Currency), Impressions, Clicks,
//	                Total Click + View Conversions, Total Click + View Conversion Revenue
//	criteo          Day, Campaign, Cost, Displays, Clicks, Sales, Revenue
//	pinterest       Date, Campaign name, Spend in account currency, Impressions,
//	                Outbound clicks (or Pin clicks), Total checkouts, Total order value (Checkout)
//	microsoft_ads   Gregorian date (or TimePeriod), Campaign name, Spend, Impressions,
//	                Clicks, Conversions, Revenue
//	tiktok          By Day (or Date), Campaign name, Cost, Impressions,
//	                Clicks (destination), Conversions, Total purchase value
//
// Files are read as exported: UTF-8 with or without a byte-order mark,
// UTF-16 with one, or Windows-1252; comma-, tab- or semicolon-separated;
// with title, date-range or "Key: value" lines above the header, and
// "Total: ..." rows and copyright footers below the data, which are skipped.
// Numbers may carry thousands separators, currency symbols or codes and
// parentheses for negatives; dates may be ISO, US-ordered (11/1/2026) or
// spelled out (Nov 1, 2026).
//
// Empty cells: an empty optional metric is NULL (not reported). An empty
// required metric ("", "--") is zero in a platform's export, where that is
// how platforms print none, and an error in a canonical file.
//
// Refused, with an error naming the file, line and column: any value that is
// not what its column holds (the whole file is then refused, nothing
// written); rows covering more than one day, with a hint on exporting a daily
// breakdown; amounts in a currency other than Options.Currency, whether named
// by a currency column, the header ("Amount spent (EUR)") or the cell ("€12");
// rows of another platform than Options.Platform.
package ingest
