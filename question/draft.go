package question

// Draft is a request as a language model fills it through the understand
// tool: the answer shape's field names, every value a name from Names or a
// date. It is only a proposal — the engine checks every field against the
// metric registry and the data before anything is answered from it.
type Draft struct {
	Intent        string              `json:"intent"`
	Metrics       []string            `json:"metrics,omitempty"`
	Period        *DraftPeriod        `json:"period,omitempty"`
	ComparePeriod *DraftPeriod        `json:"compare_period,omitempty"`
	Filters       map[string][]string `json:"filters,omitempty"`
	GroupBy       []string            `json:"group_by,omitempty"`
	// Order is "desc" (highest first, the default) or "asc".
	Order string `json:"order,omitempty"`
	Limit int    `json:"limit,omitempty"`
	// Change, on a top ranking with a comparison period, ranks by how far
	// each group moved from it: up, down, better, worse or either (see
	// Request.Change).
	Change string `json:"change,omitempty"`
	// Relative, with Change, ranks by the change against where each group
	// started ("grew fastest").
	Relative bool `json:"relative,omitempty"`
	// Clarify is the question the model would ask back instead.
	Clarify string `json:"clarify,omitempty"`
}

// DraftPeriod is a period as dates, YYYY-MM-DD, both days included.
type DraftPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// DraftInput is what a model is given to fill a Draft: the question (data
// to it, never instructions), the thread's previous request for a
// follow-up, and the names it may choose from.
type DraftInput struct {
	Question string
	Previous *Draft
	Names    DraftNames
}

// DraftNames are the only names a Draft may use: the registry's metrics a
// reader may see and the dimension values in the data. Campaigns holds
// every campaign name; the tool offers them as a list only when they are
// few.
type DraftNames struct {
	Today     string // YYYY-MM-DD
	DataStart string // the first day with data
	DataEnd   string // the last complete day
	Intents   []string
	Metrics   []string
	GroupBy   []string
	// Values are the filterable values by dimension: platform (ids),
	// category, campaign_type, campaign, region, channel.
	Values map[string][]string
}

// DraftOf writes a request in the draft's shape, for a follow-up's
// previous request.
func DraftOf(r Request) Draft {
	d := Draft{Intent: string(r.Intent), Filters: r.Filters, GroupBy: r.GroupBy, Limit: r.Limit, Change: r.Change, Relative: r.Relative}
	for _, m := range r.Metrics {
		d.Metrics = append(d.Metrics, string(m))
	}
	if !r.Period.Start.IsZero() {
		d.Period = &DraftPeriod{r.Period.Start.Format("2006-01-02"), r.Period.End.Format("2006-01-02")}
	}
	if r.Compare != nil {
		d.ComparePeriod = &DraftPeriod{r.Compare.Start.Format("2006-01-02"), r.Compare.End.Format("2006-01-02")}
	}
	if r.Ascending {
		d.Order = "asc"
	}
	return d
}
