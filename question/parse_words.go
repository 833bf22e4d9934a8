package question

// kw names what a grammar keyword signals.
type kw uint8

// Keywords of the question grammar.
const (
	kwNone        kw = iota
	kwVs             // vs, compared to, than: the next period is the comparison
	kwJoin           // and, or
	kwCompare        // compare, comparison
	kwShift          // WoW, MoM, QoQ, YoY, same time last year: arg is the unit
	kwPrev           // the period before, the week before
	kwWhy            // why, what drove, explain
	kwUp             // went up, increase, improve
	kwDown           // dropped, declined, worse
	kwChange         // change, moved, difference
	kwTop            // highest, best, worst ...: arg high, low, best or worst
	kwDim            // a dimension noun: arg is the dimension
	kwGrain          // daily, weekly, monthly: arg is day, week or month
	kwBy             // by, per, each, across: the next dimension is grouped
	kwWhich          // which, what
	kwWho            // who: a platform
	kwBreakdown      // breakdown, split
	kwMix            // mix, share: a breakdown by platform
	kwLevel          // "category level"
	kwTrend          // trend, over time
	kwPacing         // overspending, projected, on track
	kwBrandLift      // brand lift, ad recall
	kwHelp           // help, what can you do
	kwHostile        // delete, drop table
	kwOffTopic       // weather, poem
	kwPerf           // performance, results, doing
	kwPerfWeak       // how, did, go
	kwHowMuch        // how much, how many
	kwUnsupported    // a metric sowhat does not have: arg lists close ones
	kwImplied        // efficient, expensive: arg is the metric meant
	kwFrom           // from (last week)
	kwIgnore         // phrases that only look like keywords: "up to date"
	kwExclude        // excluding, except, without: the names after it are left out
	kwDefine         // what does X mean, how is X calculated
	kwForeign        // an ad platform sowhat has no data for: arg is its name
	kwNotHeld        // a measurement the store does not hold: arg keys notHeld (read_absurd.go)
)

type kwDef struct {
	key     kw
	arg     string
	extra   string
	phrases []string
}

func kws(key kw, arg string, phrases ...string) kwDef {
	return kwDef{key: key, arg: arg, phrases: phrases}
}

func kwx(key kw, arg, extra string, phrases ...string) kwDef {
	return kwDef{key: key, arg: arg, extra: extra, phrases: phrases}
}

// keywordDefs is the grammar's vocabulary. Metric, platform and period
// words live elsewhere (the registry, data.Platforms and the period parser).
var keywordDefs = []kwDef{
	kws(kwVs, "", "vs", "compared to", "compared with", "compare to", "compare with", "comparing to", "comparing with",
		"against", "relative to", "than", "in comparison to", "as opposed to", "beat", "beats", "beating", "outperform",
		"outperformed"),
	kws(kwJoin, "", "and", "or"),
	kws(kwCompare, "", "compare", "comparison", "compared", "comparing", "contrast", "side by side", "head to head", "benchmark"),
	kws(kwShift, "day", "dod", "day over day", "day on day"),
	kws(kwShift, "week", "wow", "same day last week", "week over week", "week on week", "same time last week", "same days last week", "same period last week"),
	kws(kwShift, "month", "mom", "month over month", "month on month", "same time last month", "same period last month", "same days last month"),
	kws(kwShift, "quarter", "qoq", "quarter over quarter", "quarter on quarter", "same period last quarter"),
	kws(kwShift, "year", "yoy", "year over year", "year on year", "same time last year", "this time last year", "same period last year",
		"same days last year", "same week last year", "same month last year", "same day last year", "last year same period",
		"same time a year ago", "a year ago", "same period a year ago"),
	kws(kwPrev, "", "previous period", "prior period", "period before", "preceding period", "week before", "month before",
		"quarter before", "year before", "day before", "days before", "weeks before", "before that", "the previous one", "prior one",
		"vs last", "vs previous", "vs prior", "vs the last", "vs the previous", "compared to last", "compared with last",
		"compared to the previous", "than last", "than the previous", "than before", "vs before"),
	kws(kwWhy, "", "why", "what drove", "what drives", "what is driving", "what caused", "what is causing",
		"cause", "caused", "causes", "causing", "explain", "explanation", "reason", "reasons", "driver", "drivers", "how come",
		"what happened", "what is happening", "what is up with", "root cause", "what is behind", "behind", "diagnose",
		"dig into", "deep dive", "investigate", "what is going on", "whats going on"),
	kws(kwUp, "", "up", "go up", "goes up", "going up", "went up", "gone up", "increase", "increased", "increases", "increasing",
		"rise", "rose", "rising", "risen", "grow", "grew", "growing", "grown", "growth", "improve", "improved", "improves",
		"improving", "improvement", "jump", "jumped", "spike", "spiked", "spiking", "climb", "climbed", "climbing",
		"gain", "gained", "gains", "trending up", "trend up", "surge", "surged", "uptick", "soar", "soared", "lift",
		"lifted", "up or down", "ramp", "ramped"),
	kws(kwDown, "", "down", "go down", "goes down", "went down", "going down", "gone down", "drop", "dropped", "drops", "dropping",
		"decline", "declined", "declining", "decrease", "decreased", "decreasing", "fall", "fell", "falling", "fallen", "worsen", "worsened", "worsening",
		"got worse", "gotten worse", "get worse", "getting worse", "gets worse", "deteriorate", "deteriorated", "deteriorating", "dip", "dipped", "tank", "tanked", "tanking", "plunge", "plunged", "slump",
		"slumped", "shrink", "shrank", "sink", "sank", "slide", "slid", "slowdown", "slow down", "slowed", "softer", "softened",
		"trending down", "trend down", "downtick", "crater", "cratered", "collapse", "collapsed"),
	kws(kwUp, "better", "better", "higher"),
	kws(kwDown, "worse", "worse", "lower"),
	kws(kwChange, "", "change", "changed", "changes", "changing", "delta", "difference", "diff", "moved", "movement", "swing",
		"swung", "vary", "varied", "variance", "fluctuate", "fluctuated", "fluctuation", "shifted", "movers", "mover"),
	kws(kwTop, "high", "highest", "most", "biggest", "largest", "max", "maximum", "top", "greatest", "leading", "the most", "largest share"),
	kwx(kwTop, "high", "cpa", "most expensive", "priciest", "costliest"),
	kwx(kwTop, "high", "business_revenue", "best selling", "top selling", "best seller", "best sellers", "bestseller", "bestsellers",
		"top sellers", "highest selling"),
	kws(kwTop, "rank", "rank", "ranked", "ranking", "rankings", "sort", "sorted", "leaderboard", "league table"),
	kws(kwTop, "low", "lowest", "least", "smallest", "min", "minimum", "fewest", "bottom"),
	kws(kwTop, "fast", "fastest", "quickest"), // "grew fastest": a rate of change, not an amount
	kwx(kwTop, "low", "cpa", "cheapest", "least expensive"),
	kws(kwTop, "best", "best", "best performing", "top performing", "top performer", "top performers", "outperforming", "outperformer",
		"outperformers", "winner", "winners", "strongest", "best performer", "best performers", "star", "stars"),
	kwx(kwTop, "best", "roas", "most efficient", "most profitable"),
	kws(kwTop, "worst", "worst", "worst performing", "underperforming", "under performing", "underperformer", "underperformers",
		"laggard", "laggards", "lagging", "weakest", "loser", "losers", "worst performer", "worst performers", "poorest"),
	kwx(kwTop, "worst", "roas", "least efficient", "least profitable"),
	kws(kwDim, "platform", "platform", "ad platform", "network", "partner", "publisher", "vendor"),
	kwx(kwDim, "platform", "pl", "platforms", "ad platforms", "networks", "partners", "publishers", "vendors"),
	kws(kwDim, "channel", "channel"),
	kwx(kwDim, "channel", "pl", "channels"),
	kws(kwDim, "campaign", "campaign"),
	kwx(kwDim, "campaign", "pl", "campaigns"),
	kws(kwDim, "campaign_type", "campaign type", "type", "tactic", "ad type"),
	kwx(kwDim, "campaign_type", "pl", "campaign types", "types", "tactics", "ad types"),
	kws(kwDim, "category", "category", "product category", "department", "dept", "product line", "vertical"),
	kwx(kwDim, "category", "pl", "categories", "product categories", "departments", "depts", "product lines", "verticals"),
	kws(kwDim, "region", "region", "geo", "geography", "market", "area", "dma"),
	kwx(kwDim, "region", "pl", "regions", "geos", "geographies", "markets", "areas", "dmas"),
	kws(kwDim, "day", "day", "date"),
	kws(kwDim, "week", "week"),
	kws(kwDim, "month", "month"),
	kws(kwGrain, "day", "daily", "day by day", "by day", "per day", "each day", "every day", "by date", "day to day"),
	kws(kwGrain, "week", "weekly", "week by week", "by week", "per week", "each week", "every week", "week to week"),
	kws(kwGrain, "month", "monthly", "month by month", "by month", "per month", "each month", "every month", "month to month"),
	kws(kwGrain, "quarter", "quarterly", "quarter by quarter", "by quarter", "per quarter", "each quarter", "every quarter",
		"by quarters", "quarter to quarter"),
	kws(kwGrain, "year", "yearly", "annually", "by year", "per year", "each year", "every year", "year by year", "by years"),
	kws(kwBy, "", "by", "per", "each", "every", "across", "for each", "for every", "split by", "broken down by", "broken out by",
		"break down by", "breakdown by", "grouped by", "group by", "sliced by", "cut by", "segmented by", "in each", "all", "between"),
	kws(kwWhich, "", "which", "what"),
	kws(kwWho, "", "who", "whose"),
	kws(kwBreakdown, "", "breakdown", "break down", "broken down", "break out", "breakout", "broken out", "drill down", "split",
		"splits", "distribution", "composition", "contribution", "contributions", "compare across"),
	kws(kwMix, "", "mix", "share", "shares", "share of", "allocation across", "%", "percent", "percentage", "proportion",
		"percent of", "percentage of"),
	kws(kwLevel, "", "level", "wise"),
	kws(kwTrend, "", "trend", "trends", "over time", "trajectory", "history", "historical", "series", "time series", "chart",
		"graph", "plot", "evolution", "progression", "curve", "timeline", "sparkline", "over the weeks", "over the months",
		"trended", "trending over", "trending"),
	kws(kwPacing, "", "overspend", "overspending", "overspent", "over spending", "over spend", "underspend", "underspending",
		"underspent", "under spending", "under spend", "on track", "burn", "run rate", "projected", "projection", "projections",
		"forecast", "forecasted", "forecasting", "month end", "end of month", "remaining budget", "budget left", "left to spend",
		"headroom", "over pacing", "under pacing", "overpacing", "underpacing", "ahead of plan", "behind plan", "vs budget",
		"vs plan", "against budget", "against plan", "spend against budget", "spend against plan", "budget vs actual",
		"actual vs budget", "actuals vs budget", "pacing to", "budgeted", "land the month", "landing"),
	kws(kwBrandLift, "", "brand lift", "brand lifts", "lift study", "lift studies", "brand study", "brand studies", "brand lift study",
		"brand lift studies", "ad recall", "recall", "awareness", "brand awareness", "awareness lift", "consideration",
		"consideration lift", "favorability", "favourability", "purchase intent", "brand metrics", "brand health", "lift results"),
	kws(kwHelp, "", "help", "what can you do", "what can i ask", "what can i ask you", "what do you do", "what do you know",
		"how do i use", "how do i use this", "how does this work", "how do you work", "commands", "examples", "example questions",
		"what questions", "menu", "usage", "hi", "hello", "hey", "getting started", "tutorial", "who are you", "what are you",
		"what should i ask", "what else can you do", "what can you tell me"),
	kws(kwHostile, "", "delete", "deleting", "truncate", "drop table", "drop tables", "drop database", "drop schema", "drop all",
		"insert into", "alter table", "update table", "wipe", "erase", "destroy", "remove all", "rm rf", "shutdown", "shut down",
		"ignore previous instructions", "ignore all previous instructions", "ignore previous", "ignore all instructions",
		"ignore your instructions", "disregard", "system prompt", "jailbreak", "password", "passwords", "api key", "api keys",
		"credentials", "sql injection", "union select", "sudo", "grant all", "ddos", "exploit",
		"ignore prior instructions", "ignore all prior instructions", "ignore the above", "ignore above", "ignore your rules",
		"ignore all rules", "forget your instructions", "forget all instructions", "forget previous instructions",
		"forget everything", "new instructions", "you are now", "act as", "pretend to be", "pretend you are",
		"developer mode", "dan mode", "reveal your prompt", "print your prompt", "show your prompt", "your prompt",
		"bypass", "override your", "roleplay", "role play"),
	kws(kwOffTopic, "", "weather", "poem", "poems", "joke", "jokes", "song", "lyrics", "story", "recipe", "recipes", "haiku",
		"essay", "translate", "horoscope", "bitcoin", "stock price", "stocks", "sports", "movie", "movies", "football",
		"capital of", "meaning of life", "limerick", "sonnet", "lottery", "dinner", "lunch"),
	kws(kwPerf, "", "doing", "performing", "performance", "perform", "performed", "results", "result", "kpis", "kpi", "overview",
		"summary", "summarize", "recap", "snapshot", "health", "scorecard", "report card", "key metrics", "headline numbers",
		"fared", "fare", "numbers look", "look like", "all metrics", "all the metrics", "every metric", "all numbers",
		"all the numbers", "all stats", "all the stats", "all kpis", "everything", "full picture", "full report", "rundown",
		"run down", "status", "status update", "update on", "topline numbers"),
	kws(kwPerfWeak, "", "how", "do", "did", "going", "go", "look", "looking", "looks", "looked"),
	kws(kwHowMuch, "", "how much", "how many", "number of", "total", "numbers", "data", "stats", "figures", "metrics"),
	kws(kwUnsupported, "roas,mer", "roi", "return on investment", "profit", "profits", "profitability of"),
	kws(kwUnsupported, "payback_months,cac", "gross profit", "margin", "margins", "gross margin", "ltv", "clv",
		"lifetime value", "customer lifetime value", "contribution margin"),
	kws(kwUnsupported, "conversions,cpa", "cpl", "cost per lead", "leads", "signups", "sign ups", "sign up",
		"installs", "app installs", "cpi", "cost per install", "registrations"),
	kws(kwUnsupported, "clicks,ctr", "bounce rate", "bounce", "sessions", "session", "site visits", "pageviews", "page views"),
	kws(kwUnsupported, "impressions,cpm", "frequency", "reach", "share of voice", "impression share", "quality score",
		"cpv", "cost per view", "followers", "likes"),
	kws(kwUnsupported, "roas,spend", "acos", "tacos", "advertising cost of sales"),
	kws(kwUnsupported, "orders,business_revenue", "inventory", "returns", "refunds", "nps", "churn", "retention", "stock"),
	kws(kwImplied, "roas", "efficient", "efficiency", "profitable", "profitability", "inefficient"),
	kws(kwImplied, "cpa", "expensive", "costly", "pricey", "cheap", "cheaper"),
	kws(kwImplied, "business_revenue", "make us", "made us", "did we make", "we make", "we made", "earn", "earned", "earning",
		"bring in", "brought in", "generate", "generated", "generating", "take in", "took in", "bring us", "brought us"),
	kwx(kwImplied, "business_revenue", "add", "and make", "and made", "and making", "vs what we make", "vs what we made",
		"vs what we're making", "vs what we are making", "and what we make", "and what we made", "and what we're making",
		"vs what we earn", "vs what we earned", "vs what we bring in", "what we're making", "what we are making"),
	kws(kwFrom, "", "from"),
	kws(kwExclude, "", "excluding", "exclude", "excludes", "excluded", "excl", "ex", "except", "except for", "without",
		"not including", "not counting", "not incl", "other than", "apart from", "aside from", "all but", "everything but",
		"anything but", "everything except", "but not", "non", "minus", "leave out", "leaving out", "ignoring", "outside of",
		"besides"),
	kws(kwDefine, "", "mean", "means", "meaning", "define", "definition", "definitions", "defined", "calculated",
		"calculate", "computed", "compute", "formula", "stand for", "stands for"),
	kws(kwForeign, "LinkedIn", "linkedin", "linked in", "linkedin ads"),
	kws(kwForeign, "Snapchat", "snapchat", "snap ads", "snapchat ads"),
	kws(kwForeign, "Reddit", "reddit", "reddit ads"),
	kws(kwForeign, "X (Twitter)", "twitter", "twitter ads", "x ads"),
	kws(kwForeign, "Spotify", "spotify", "spotify ads"),
	kws(kwForeign, "Quora", "quora"),
	kws(kwForeign, "Taboola", "taboola"),
	kws(kwForeign, "Outbrain", "outbrain"),
	kws(kwForeign, "Yahoo", "yahoo", "yahoo dsp"),
	kws(kwForeign, "Apple Search Ads", "apple search ads", "apple ads", "asa"),
	kws(kwForeign, "Roku", "roku"),
	kws(kwForeign, "Hulu", "hulu"),
	kws(kwForeign, "Nextdoor", "nextdoor"),
	kws(kwForeign, "StackAdapt", "stackadapt"),
	kws(kwForeign, "AppLovin", "applovin"),
	kws(kwForeign, "Walmart Connect", "walmart connect", "walmart ads", "walmart"),
	kws(kwForeign, "Instacart Ads", "instacart", "instacart ads"),
	kws(kwForeign, "Yelp", "yelp"),
	kws(kwForeign, "DV360", "dv360", "display and video 360"),
	kws(kwIgnore, "", "up to date", "pick up", "set up", "setup", "follow up", "so far", "to date", "right now", "at the moment", "at least", "at most", "most recent", "most recently",
		"as of", "thank you", "thanks", "please", "quick question", "in total", "overall"),
}

// isStopWord reports an everyday word: never a typo of a vocabulary word,
// and never part of a campaign name match on its own.
func isStopWord(w string) bool {
	switch w {
	case "a", "an", "the", "of", "for", "in", "on", "at", "to", "from", "into", "onto", "with", "without",
		"within", "about", "above", "below", "under", "over", "is", "are", "was", "were", "be", "been", "being",
		"am", "do", "does", "did", "done", "doing", "have", "has", "had", "having", "will", "would", "shall",
		"should", "can", "could", "may", "might", "must", "i", "me", "my", "mine", "we", "us", "our", "ours", "you",
		"your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs",
		"this", "that", "these", "those", "what", "whats", "which", "who", "whom", "whose", "how", "hows", "when",
		"where", "why", "there", "here", "then", "than", "so", "if", "but", "and", "or", "nor", "not", "no", "yes",
		"yeah", "yep", "nope", "ok", "okay", "hey", "hi", "hello", "thanks", "thank", "please", "pls", "just",
		"really", "very", "quite", "too", "also", "only", "even", "still", "already", "yet", "ever", "again",
		"some", "any", "all", "every", "each", "both", "either", "neither", "much", "many", "more", "most", "less",
		"least", "few", "lot", "lots", "bit", "kind", "sort", "show", "tell", "give", "get", "got", "getting",
		"gave", "let", "lets", "know", "see", "seen", "saw", "look", "looking", "looked", "want", "wanted", "need",
		"needed", "like", "make", "made", "making", "take", "took", "taken", "come", "came", "going", "went",
		"gone", "go", "goes", "say", "said", "says", "think", "thought", "thing", "things", "bring", "brings",
		"brought", "put", "keep", "kept", "find", "found", "feel", "felt", "seem", "seems", "seemed", "try",
		"tried", "use", "used", "using", "help", "now", "today", "right", "soon", "later", "ago", "since", "until",
		"till", "while", "during", "before", "after", "between", "through", "thru", "across", "team", "quick",
		"quickly", "currently", "overall", "whole", "entire", "same", "other", "another", "such", "own", "number",
		"numbers", "data", "stats", "figure", "figures", "value", "values", "amount", "amounts", "total", "totals",
		"report", "reporting", "period", "periods", "time", "times", "good", "great", "nice", "bad", "well", "fine",
		"sure", "cool", "awesome", "pretty", "big", "small", "high", "low", "new", "old", "first", "second", "next",
		"plus", "minus", "vs", "versus", "via", "per", "by", "out", "up", "down", "off", "back", "away", "around",
		"along", "near", "far", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"hundred", "thousand", "million", "billion", "percent", "weather", "money", "cash", "dollars", "dollar",
		"actually", "basically", "hmm", "umm", "drive", "drives", "driven", "send", "sending", "sent", "speed",
		"speaking", "standing", "spinning", "spelling", "sounding", "pending", "depending", "impending", "spanning",
		"shipping", "stopping", "shooting", "hopping", "chopping", "skipping", "whopping", "story", "stories",
		"score", "scores", "stone", "storm", "tending", "branding", "training", "tracking", "track", "emailing",
		"traveling", "paying", "placing", "facing", "packing", "racing", "auction", "computed", "compiled",
		"composed", "conversation", "conversations", "convention", "conventions", "expression", "expressions",
		"impressive", "transitions", "translations", "protected", "protection", "production", "rejected",
		"protecting", "approved", "approving", "imported", "importing", "declared", "inclined", "location",
		"locations", "interest", "interests", "manner", "manners", "saves", "scale", "scales", "match", "matches",
		"charge", "charged", "chance", "weak", "seek", "beta", "rows", "road", "older", "grand", "post", "posts",
		"hosts", "detail", "details", "comes", "hopes", "though", "read", "reading", "lead", "leads", "led",
		"ready":
		return true
	}
	return false
}
