package model

import (
	"sort"
	"strings"
	"sync"
)

// Platform is an advertising platform sowhat knows.
type Platform struct {
	ID      string
	Name    string   // how people write it
	Aliases []string // everyday names, lower case
}

// Platforms lists every platform, in the order answers show them.
var Platforms = []Platform{
	{"google_ads", "Google Ads", []string{"google", "google ads", "googleads", "adwords", "google adwords", "gads", "youtube", "pmax", "performance max"}},
	{"meta", "Meta", []string{"meta", "meta ads", "facebook", "facebook ads", "fb", "instagram", "ig", "insta"}},
	{"amazon_ads", "Amazon Ads", []string{"amazon", "amazon ads", "amazon advertising", "amzn", "amz", "sponsored products"}},
	{"the_trade_desk", "The Trade Desk", []string{"the trade desk", "trade desk", "tradedesk", "ttd"}},
	{"criteo", "Criteo", []string{"criteo"}},
	{"pinterest", "Pinterest", []string{"pinterest", "pinterest ads", "pins"}},
	{"microsoft_ads", "Microsoft Ads", []string{"microsoft", "microsoft ads", "microsoft advertising", "bing", "bing ads", "msft", "ms ads"}},
	{"tiktok", "TikTok", []string{"tiktok", "tik tok", "tiktok ads"}},
}

// platformByKey maps every id, lower-case name and alias onto its platform
// id, made on first use.
var platformByKey = sync.OnceValue(func() map[string]string {
	m := make(map[string]string)
	for _, p := range Platforms {
		m[p.ID] = p.ID
		m[strings.ToLower(p.Name)] = p.ID
		for _, a := range p.Aliases {
			m[a] = p.ID
		}
	}
	return m
})

// NormalizePlatform maps an id, a name or an everyday alias ("Facebook",
// "AdWords", "TTD", "Bing") onto a platform id.
func NormalizePlatform(s string) (string, bool) {
	k := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "_", " "))), " ")
	if id, ok := platformByKey()[k]; ok {
		return id, true
	}
	id, ok := platformByKey()[strings.ReplaceAll(k, " ", "_")]
	return id, ok
}

// PlatformName returns the display name of a platform id, or the id itself.
func PlatformName(id string) string {
	for _, p := range Platforms {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

// PlatformAliases returns every alias with the id it maps to, longest first,
// for scanning free text.
func PlatformAliases() [][2]string {
	out := make([][2]string, 0, len(platformByKey()))
	for k, id := range platformByKey() {
		out = append(out, [2]string{k, id})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i][0]) != len(out[j][0]) {
			return len(out[i][0]) > len(out[j][0])
		}
		return out[i][0] < out[j][0]
	})
	return out
}
