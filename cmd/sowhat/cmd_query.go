package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

func cmdQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlags("query", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL)")
	metrics := fs.String("metric", "", "metric ids, comma-separated (see sowhat metrics)")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	cfrom := fs.String("compare-from", "", "first day of the comparison period")
	cto := fs.String("compare-to", "", "last day of the comparison period")
	by := fs.String("by", "", "group by: platform, campaign, campaign_type, category, region, channel, day, week, month (comma-separated)")
	order := fs.String("order", "", "order rows by this metric (default: the first metric, highest first; time in order)")
	asc := fs.Bool("asc", false, "order lowest first")
	limit := fs.Int("limit", 0, "at most this many rows")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	filters := map[string]*string{}
	for _, d := range []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion, model.DimChannel, model.DimAccount} {
		filters[d] = fs.String(strings.ReplaceAll(d, "_", "-"), "", "keep only these "+d+" values (comma-separated)")
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	q := data.Query{Metrics: model.MetricIDs(bot.ParseList(*metrics)), GroupBy: bot.ParseList(*by), OrderBy: model.MetricID(*order), Ascending: *asc, Limit: *limit, Filters: map[string][]string{}}
	var err error
	if q.Period, err = dateRange("--from", *from, "--to", *to); err != nil {
		return err
	}
	if *cfrom != "" || *cto != "" {
		c, err := dateRange("--compare-from", *cfrom, "--compare-to", *cto)
		if err != nil {
			return err
		}
		q.Compare = &c
	}
	for d, v := range filters {
		vals := bot.ParseList(*v)
		if d == model.DimPlatform {
			for i, p := range vals {
				id, ok := model.NormalizePlatform(p)
				if !ok {
					return fmt.Errorf("%w: --platform %q is not a platform I know (google_ads, meta, amazon_ads, the_trade_desk, criteo, pinterest, microsoft_ads, tiktok)", errUsage, p)
				}
				vals[i] = id
			}
		}
		if len(vals) > 0 {
			q.Filters[d] = vals
		}
	}
	st, err := e.openStore(ctx, *db, reads)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	res, err := st.Run(ctx, q)
	if err != nil {
		return err
	}
	a := data.NewAnswer(q, res)
	a.Intent = "query"
	a.Question = "sowhat query " + strings.Join(args, " ")
	a.Summary = querySummary(a)
	if a.Freshness, err = st.Freshness(ctx); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	}
	fmt.Fprint(e.stdout, wording.Text(a))
	return nil
}

func dateRange(fromName, from, toName, to string) (period.Period, error) {
	if from == "" || to == "" {
		return period.Period{}, fmt.Errorf("%w: %s and %s are both required (YYYY-MM-DD)", errUsage, fromName, toName)
	}
	s, err := time.Parse(period.DateLayout, from)
	if err != nil {
		return period.Period{}, fmt.Errorf("%w: %s %q: want YYYY-MM-DD", errUsage, fromName, from)
	}
	t, err := time.Parse(period.DateLayout, to)
	if err != nil {
		return period.Period{}, fmt.Errorf("%w: %s %q: want YYYY-MM-DD", errUsage, toName, to)
	}
	if t.Before(s) {
		return period.Period{}, fmt.Errorf("%w: %s %s is before %s %s", errUsage, toName, to, fromName, from)
	}
	return period.Period{Start: s, End: t}, nil
}

// querySummary states the total of each metric in words.
func querySummary(a model.Answer) string {
	var parts []string
	for _, m := range a.Metrics {
		s := wording.MetricName(m) + " " + wording.Metric(m, a.Total.Values[m])
		if a.ComparePeriod != nil {
			if c := wording.Change(m, a.Total.Values[m], a.Total.CompareValues[m]); c != "" {
				s += " (" + c + " vs " + wording.Metric(m, a.Total.CompareValues[m]) + ")"
			}
		}
		parts = append(parts, s)
	}
	where := wording.FiltersText(a.Filters)
	if where != "" {
		where = ", " + where
	}
	return fmt.Sprintf("%s%s: %s.", wording.PeriodText(a.Period), where, strings.Join(parts, "; "))
}
