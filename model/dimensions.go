package model

// Dimensions a query can filter or group by.
const (
	DimPlatform     = "platform"
	DimAccount      = "account"
	DimCampaign     = "campaign"
	DimCampaignType = "campaign_type"
	DimCategory     = "category"
	DimRegion       = "region"
	DimChannel      = "channel"
	DimDay          = "day"
	DimWeek         = "week"
	DimMonth        = "month"
)

// IsAdDimension reports whether only ad rows have dimension d; grouping or
// filtering by one makes a metric platform-level (see Context.ByAdDimension).
func IsAdDimension(d string) bool {
	switch d {
	case DimPlatform, DimAccount, DimCampaign, DimCampaignType, DimCategory, DimRegion:
		return true
	}
	return false
}

// IsDimension reports whether d is a dimension queries understand.
func IsDimension(d string) bool {
	return IsAdDimension(d) || d == DimChannel || IsTimeDimension(d)
}

// IsTimeDimension reports whether d is day, week or month.
func IsTimeDimension(d string) bool { return d == DimDay || d == DimWeek || d == DimMonth }

// Threshold compares a metric's value with a number: above (or, with
// Above false, below) Value, in the metric's raw unit (0.02 for 2%). With
// None it keeps the groups with none of the metric instead: zero, or not
// reported at all ("campaigns with no conversions", "not spending").
type Threshold struct {
	Metric MetricID `json:"metric"`
	Above  bool     `json:"above"`
	Value  float64  `json:"value"`
	None   bool     `json:"none,omitempty"`
}

// Pass reports whether a row's value passes; an undefined value does not,
// except for a None threshold, which it passes.
func (t Threshold) Pass(v Values) bool {
	x := v[t.Metric]
	if t.None {
		return x == nil || *x == 0
	}
	if x == nil {
		return false
	}
	if t.Above {
		return *x > t.Value
	}
	return *x < t.Value
}
