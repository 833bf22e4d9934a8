package data

import (
	"fmt"
	"slices"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

// campaignRows reads every campaign's dimensions as the tables hold them.
func campaignRows(t *testing.T, st *Store) map[int64]map[string]string {
	t.Helper()
	rows, err := st.db.QueryContext(t.Context(), `SELECT c.id, p.name, c.account, c.campaign, c.campaign_type, c.category, c.region FROM campaigns c JOIN platforms p ON p.id = c.platform_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]map[string]string{}
	for rows.Next() {
		var id int64
		var p, a, c, ct, cat, r string
		if err := rows.Scan(&id, &p, &a, &c, &ct, &cat, &r); err != nil {
			t.Fatal(err)
		}
		out[id] = map[string]string{model.DimPlatform: p, model.DimAccount: a, model.DimCampaign: c, model.DimCampaignType: ct, model.DimCategory: cat, model.DimRegion: r}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkDims checks that dims say of every campaign id, and of ids no
// campaign has, what the tables say.
func checkDims(t *testing.T, d *dims, want map[int64]map[string]string) {
	t.Helper()
	var last int64
	for id := range want {
		last = max(last, id)
	}
	dimsOf := []string{model.DimPlatform, model.DimAccount, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion, model.DimDay}
	for id := int64(-1); id <= last+2; id++ {
		for _, dim := range dimsOf {
			if got := d.dimOf(id, false, dim); got != want[id][dim] {
				t.Fatalf("campaign %d %s: %q, the table says %q", id, dim, got, want[id][dim])
			}
		}
	}
	if d.campaigns.n != len(want) {
		t.Fatalf("%d campaigns, the table has %d", d.campaigns.n, len(want))
	}
}

// TestCampaignTableIsTheTable: the dims' table of campaigns says what the
// campaigns table says of every id, dense or not, and of ids it does not
// hold; each name's campaign types are those of the campaigns of that
// name, on both databases.
func TestCampaignTableIsTheTable(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ctx := t.Context()
		var rows []AdRow
		plats := []string{"google_ads", "meta", "criteo"}
		types := []string{"search", "ctv", "", "prospecting"}
		for c := range 40 {
			rows = append(rows, AdRow{Date: day("2026-09-01"), Platform: plats[c%3], Account: fmt.Sprint("Acct ", c%2),
				Campaign: fmt.Sprintf("Campaign %02d", c%30), CampaignType: types[c%4], Category: []string{"Home", ""}[c%2], Region: "US", Spend: 1})
		}
		ingestAds(t, st, rows...)
		d, err := loadDims(ctx, st.db, true)
		if err != nil {
			t.Fatal(err)
		}
		if d.campaigns.ids != nil {
			t.Fatal("dense ids kept as a list")
		}
		checkDims(t, d, campaignRows(t, st))

		// Ids with gaps, and a campaign with no name.
		for _, c := range []struct {
			id         int64
			name, kind string
		}{{70, "", "ctv"}, {75, "Campaign 03", "shopping"}, {90, "Campaign 99", ""}} {
			if _, err := st.db.ExecContext(ctx, st.db.Rebind(`INSERT INTO campaigns (id, platform_id, account, campaign, campaign_type) VALUES (?, (SELECT MIN(id) FROM platforms), ?, ?, ?)`),
				c.id, fmt.Sprint("Other ", c.id), c.name, c.kind); err != nil {
				t.Fatal(err)
			}
		}
		want := campaignRows(t, st)
		d, err = loadDims(ctx, st.db, true)
		if err != nil {
			t.Fatal(err)
		}
		if d.campaigns.ids == nil {
			t.Fatal("ids with gaps taken as dense")
		}
		checkDims(t, d, want)

		typesOf := map[string][]string{}
		for _, c := range want {
			name, kind := c[model.DimCampaign], c[model.DimCampaignType]
			if kind != "" && !slices.Contains(typesOf[name], kind) {
				typesOf[name] = append(typesOf[name], kind)
			}
		}
		types2, err := st.CampaignTypes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range want {
			name := c[model.DimCampaign]
			w := slices.Sorted(slices.Values(typesOf[name]))
			if got := types2(name); !slices.Equal(got, w) {
				t.Fatalf("types of %q: %v, want %v", name, got, w)
			}
		}
		if got := types2("Campaign 03"); len(got) < 2 {
			t.Fatalf("types of a name of campaigns of two types: %v", got)
		}
		if got := types2("No such campaign"); got != nil {
			t.Fatalf("types of a name no campaign has: %v", got)
		}
	})
}

// TestCampaignTableSeparatorInNames: campaigns whose attributes or names
// hold the separator that joins them when read are read as the table
// holds them, on both databases.
func TestCampaignTableSeparatorInNames(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		sep := string(dimSep)
		ingestAds(t, st,
			AdRow{Date: day("2026-09-01"), Platform: "meta", Account: "Acct" + sep, Campaign: "Plain", CampaignType: "search", Region: "US", Spend: 1},
			AdRow{Date: day("2026-09-01"), Platform: "meta", Account: "Acct", Campaign: "Odd" + sep + "name", Category: sep, Spend: 1},
			AdRow{Date: day("2026-09-01"), Platform: "google_ads", Account: "Acct", Campaign: "Other", Category: "Home", Spend: 1},
		)
		d, err := loadDims(t.Context(), st.db, true)
		if err != nil {
			t.Fatal(err)
		}
		checkDims(t, d, campaignRows(t, st))
	})
}

func TestSplitJoined(t *testing.T) {
	for _, tt := range []struct {
		row    string
		want   [5]string
		wantOK bool
	}{
		{"a\x1fsearch\x1fHome\x1f\x1fCampaign 1", [5]string{"a", "search", "Home", "", "Campaign 1"}, true},
		{"\x1f\x1f\x1f\x1f", [5]string{}, true},
		{"a\x1fb\x1fc\x1fd", [5]string{}, false},
		{"a\x1fb\x1fc\x1fd\x1fe\x1ff", [5]string{}, false},
	} {
		a, ct, cat, r, c, ok := splitJoined([]byte(tt.row))
		if ok != tt.wantOK {
			t.Errorf("splitJoined(%q) ok = %v, want %v", tt.row, ok, tt.wantOK)
			continue
		}
		if got := [5]string{string(a), string(ct), string(cat), string(r), string(c)}; ok && got != tt.want {
			t.Errorf("splitJoined(%q) = %q, want %q", tt.row, got, tt.want)
		}
	}
}
