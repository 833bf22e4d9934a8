package question

import (
	"slices"
	"strings"
	"sync"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
)

// entryKind says what a lexicon phrase names.
type entryKind uint8

// Entry kinds; the order breaks ties between equally long matches.
const (
	ekMetric entryKind = iota
	ekPlatform
	ekCampaignType
	ekCategory
	ekRegion
	ekChannel
	ekCampaign
	ekKeyword
)

// lexEntry is one phrase the parser knows and what it stands for.
type lexEntry struct {
	words   []string
	kind    entryKind
	value   string // metric id, platform id or the vocabulary's own name
	key     kw     // for keywords
	arg     string
	extra   string
	channel string // "store sales" names a channel as well as a metric
}

// lexicon indexes phrases by their first word, and knows every word for
// typo correction.
type lexicon struct {
	first map[string][]*lexEntry
	known map[string]bool // every word of every phrase: never a typo
	words *wordList       // words a typo may be corrected to
	// campaignWords maps a word to the campaigns whose name has it, for
	// partial names ("the holiday campaign").
	campaignWords map[string][]string
	// campaignTokens are the words of each campaign's name, space
	// separated, in the vocabulary's order (see CampaignTokens).
	campaignTokens []string
	// free is where add keeps the next entries: entries are made in blocks
	// rather than one allocation each.
	free []lexEntry
	// static, when set, holds the lexicon instead of the maps above.
	static *staticLexicon
	// reach, when set, answers for a lazily indexed vocabulary what one
	// question can ask of it, instead of the maps above.
	reach *reachLexicon
}

func newLexicon() *lexicon { return newLexiconSized(0, 0) }

// newLexiconSized returns a lexicon with room for about n first words and
// typo targets: building the base lexicon spent a fifth of its time growing
// its maps.
func newLexiconSized(n, typos int) *lexicon {
	return &lexicon{first: make(map[string][]*lexEntry, n), known: make(map[string]bool, n), words: newWordListSized(typos), campaignWords: map[string][]string{}}
}

func (lx *lexicon) add(entry lexEntry) {
	if len(entry.words) == 0 {
		return
	}
	if len(lx.free) == 0 {
		lx.free = make([]lexEntry, 128)
	}
	e := &lx.free[0]
	*e = entry
	lx.free = lx.free[1:]
	lx.first[e.words[0]] = append(lx.first[e.words[0]], e)
	for _, w := range e.words {
		lx.known[w] = true
		if len(w) >= 4 && !isDigits(w) {
			lx.words.add(w)
		}
	}
}

// staticLexicon is a lexicon as tables compiled into the binary, searched
// rather than hashed: the base lexicon is the same in every process, and
// building its maps was a tenth of a `sowhat ask` (base_lexicon_table.go,
// written by TestBaseLexiconTable from buildBaseLexicon).
type staticLexicon struct {
	firstWords   []string      // sorted
	firstEntries [][]*lexEntry // of each first word, in the order added
	known        []string      // every word of every phrase, sorted
	typoSet      []string      // the words a typo may be corrected to, sorted
	typoByLen    [][]string    // the same by length, each in the order added
}

// entries returns the phrases whose first word is w.
func (lx *lexicon) entries(w string) []*lexEntry {
	if st := lx.static; st != nil {
		if i, ok := slices.BinarySearch(st.firstWords, w); ok {
			return st.firstEntries[i]
		}
		return nil
	}
	if lx.reach != nil {
		return lx.reach.entries(w)
	}
	return lx.first[w]
}

// knows reports whether w is a word of a phrase or a typo target.
func (lx *lexicon) knows(w string) bool {
	if st := lx.static; st != nil {
		_, known := slices.BinarySearch(st.known, w)
		_, target := slices.BinarySearch(st.typoSet, w)
		return known || target
	}
	if lx.reach != nil {
		return lx.reach.li.hasWord(w) // the words are those of known and words
	}
	return lx.known[w] || lx.words.set[w]
}

// typoTargets returns the words of length n a typo may be corrected to, in
// the order they were added.
func (lx *lexicon) typoTargets(n int) []string {
	if st := lx.static; st != nil {
		if n < 0 || n >= len(st.typoByLen) {
			return nil
		}
		return st.typoByLen[n]
	}
	if lx.reach != nil {
		return lx.reach.li.typoTargets(n)
	}
	return lx.words.byLen[n]
}

// hasCampaigns reports whether a campaign's name may have a word of the
// question: otherwise none is named in part.
func (lx *lexicon) hasCampaigns() bool {
	if lx.reach != nil {
		return lx.reach.hasCampaigns()
	}
	return len(lx.campaignWords) > 0
}

// inCampaignNames reports whether a campaign's name has the word w.
func (lx *lexicon) inCampaignNames(w string) bool {
	if lx.reach != nil {
		return lx.reach.inCampaignNames(w)
	}
	return len(lx.campaignWords[w]) > 0
}

// campaignsNamed returns the campaigns whose name has the word w, in the
// vocabulary's order.
func (lx *lexicon) campaignsNamed(w string) []string {
	if lx.reach != nil {
		return lx.reach.campaignsNamed(w)
	}
	return lx.campaignWords[w]
}

// phraseWords normalises a phrase exactly as questions are.
func phraseWords(p string) []string {
	toks := tokenize(p)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, t.text)
	}
	return out
}

// baseLexicon holds what never changes: metrics, platforms, keywords and
// period words, as compiled into the binary (baseTable).
func baseLexicon() *lexicon { return baseLex }

var baseLex = &lexicon{static: &baseTable}

// buildBaseLexicon builds the base lexicon, reading each phrase with
// words: what TestBaseLexiconTable writes out as baseTable.
func buildBaseLexicon(words func(string) []string) *lexicon {
	lx := newLexicon()
	addMetrics(lx, words)
	addPlatforms(lx, words)
	typos := lx.words
	lx.words = newWordList() // grammar words are typo targets only when listed below
	for _, d := range keywordDefs {
		for _, p := range d.phrases {
			lx.add(lexEntry{words: words(p), kind: ekKeyword, key: d.key, arg: d.arg, extra: d.extra})
		}
	}
	lx.words = typos
	for _, w := range strings.Fields(periodWords + " " + typoKeywords) {
		lx.words.add(w)
	}
	return lx
}

// channelWords are words in business metric phrases that name a channel.
var channelWords = map[string]string{"store": "store", "stores": "store", "instore": "store", "online": "online", "ecommerce": "online"}

func addMetrics(lx *lexicon, phraseWords func(string) []string) {
	seen := map[string]bool{}
	add := func(words []string, id model.MetricID) {
		key := strings.Join(words, " ")
		if seen[key] {
			return
		}
		seen[key] = true
		e := lexEntry{words: words, kind: ekMetric, value: string(id)}
		if model.IsBusinessMetric(id) {
			for _, w := range words {
				if c := channelWords[w]; c != "" {
					e.channel = c
				}
			}
		}
		lx.add(e)
	}
	syn := model.MetricSynonyms()
	for _, ps := range syn {
		add(phraseWords(ps[0]), model.MetricID(ps[1]))
	}
	for _, ps := range extraMetricPhrases {
		add(phraseWords(ps[0]), model.MetricID(ps[1]))
	}
	for _, ps := range syn {
		if v := pluralLead(phraseWords(ps[0])); v != nil {
			add(v, model.MetricID(ps[1]))
		}
	}
}

// extraMetricPhrases are everyday ways of naming a metric that are too
// loose for the registry's synonyms but clear in a question.
var extraMetricPhrases = [][2]string{
	{"store visitors", "store_visits"}, {"visited our stores", "store_visits"}, {"visited our store", "store_visits"},
	{"visited the stores", "store_visits"}, {"visited the store", "store_visits"}, {"visited stores", "store_visits"},
	{"store footfall", "store_visits"}, {"footfall", "store_visits"}, {"walk ins", "store_visits"}, {"walkins", "store_visits"},
	{"click thru rate", "ctr"}, {"clickthru rate", "ctr"}, {"return on spend", "roas"}, {"average basket", "aov"},
	{"basket value", "aov"}, {"revenue per order", "aov"}, {"cost per sale", "cpa"}, {"gmv", "business_revenue"},
	{"store visit cpv", "cost_per_store_visit"}, {"store visits cpv", "cost_per_store_visit"}, {"ads spend", "spend"}, {"ad costs", "spend"}, {"media cost", "spend"}, {"media costs", "spend"},
}

// rateEnds are the last words of metric phrases whose first word people
// also type in the plural: "conversions rate", "clicks through rate".
var rateEnds = map[string]bool{"rate": true, "%": true, "value": true, "cost": true}

// pluralLead returns words with the first word made plural, for phrases
// ending in a rate word, or nil.
func pluralLead(words []string) []string {
	if len(words) < 2 || !rateEnds[words[len(words)-1]] || strings.HasSuffix(words[0], "s") {
		return nil
	}
	out := append([]string(nil), words...)
	out[0] += "s"
	return out
}

func addPlatforms(lx *lexicon, phraseWords func(string) []string) {
	seen := map[string]bool{}
	for _, a := range model.PlatformAliases() {
		words := phraseWords(a[0])
		key := strings.Join(words, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		lx.add(lexEntry{words: words, kind: ekPlatform, value: a[1]})
	}
}

// campaignTypeAliases are everyday names of campaign types, used when the
// type is in the vocabulary.
var campaignTypeAliases = map[string][]string{
	"retargeting":        {"retargeting", "remarketing", "retarget", "rtg"},
	"prospecting":        {"prospecting", "prospect", "acquisition campaigns"},
	"ctv":                {"ctv", "connected tv", "streaming tv", "ott"},
	"search":             {"search", "paid search", "sem"},
	"shopping":           {"shopping", "pla", "plas", "product listing ads"},
	"display":            {"display", "banner", "banners", "programmatic display"},
	"sponsored_products": {"sponsored products", "sponsored product"},
	"video":              {"video", "online video", "olv"},
	"social":             {"social", "paid social"},
}

// channelAliases are everyday names of business channels.
var channelAliases = map[string][]string{
	"store":  {"store", "stores", "in store", "instore", "in stores", "retail stores", "brick and mortar", "offline", "physical stores"},
	"online": {"online", "ecommerce", "e commerce", "web", "website", "dotcom", "dot com", "digital"},
}

// Warm readies what the parser makes on first use — its patterns — so the
// first question a server is asked does not wait for them. Its word lists
// (metrics, platforms, keywords) are compiled in.
func Warm() { lazyre.CompileAll() }

// Index builds the lexicon of v's names and keeps it in v, so that Parse
// neither rebuilds nor looks it up for each question. Call it again after
// changing the names.
func (v *Vocabulary) Index() {
	v.Campaigns, v.lazy = v.CampaignNames(), nil
	v.lx = buildVocabLexicon(*v)
}

// vocabCache keeps the lexicon of the last vocabulary seen: a bot asks
// many questions of the same data.
var vocabCache struct {
	sync.Mutex
	key string
	lx  *lexicon
}

// vocabLexicon returns the lexicon of the names in vocab.
func vocabLexicon(v Vocabulary) *lexicon {
	key := vocabKey(v)
	vocabCache.Lock()
	defer vocabCache.Unlock()
	if vocabCache.lx != nil && vocabCache.key == key {
		return vocabCache.lx
	}
	lx := buildVocabLexicon(v)
	vocabCache.key, vocabCache.lx = key, lx
	return lx
}

func vocabKey(v Vocabulary) string {
	var b strings.Builder
	for _, list := range [][]string{v.Campaigns, v.Categories, v.Regions, v.CampaignTypes, v.Channels} {
		for _, s := range list {
			b.WriteString(s)
			b.WriteByte(0)
		}
		b.WriteByte(1)
	}
	return b.String()
}

func buildVocabLexicon(v Vocabulary) *lexicon {
	return buildVocabLexiconWith(v, nil)
}

// buildVocabLexiconWith builds the lexicon of v's names; tokens, when it
// has one for each campaign, are the words of the campaigns' names as
// CampaignTokens gave them, so the names need not be read again.
func buildVocabLexiconWith(v Vocabulary, tokens []string) *lexicon {
	lx := newLexicon()
	addCampaigns(lx, v.Campaigns, tokens)
	addCategories(lx, v.Categories)
	addRegions(lx, v.Regions)
	addAliased(lx, ekCampaignType, v.CampaignTypes, campaignTypeAliases)
	addAliased(lx, ekChannel, v.Channels, channelAliases)
	return lx
}

// addCampaigns adds each campaign's full name, and indexes its words for
// partial names.
func addCampaigns(lx *lexicon, names, tokens []string) {
	kept := len(tokens) == len(names)
	lx.campaignTokens = make([]string, len(names))
	for i, name := range names {
		var words []string
		if kept {
			words = strings.Fields(tokens[i])
		} else {
			words = phraseWords(name)
		}
		lx.campaignTokens[i] = strings.Join(words, " ")
		lx.add(lexEntry{words: words, kind: ekCampaign, value: name})
		for j, w := range words {
			if !slices.Contains(words[:j], w) { // a word named twice finds the campaign once
				lx.campaignWords[w] = append(lx.campaignWords[w], name)
			}
		}
	}
}

// addCategories adds each category with its singular or plural form:
// "toy" finds Toys, "electronic" finds Electronics.
func addCategories(lx *lexicon, names []string) {
	for _, name := range names {
		words := phraseWords(name)
		lx.add(lexEntry{words: words, kind: ekCategory, value: name})
		if len(words) == 0 {
			continue
		}
		last := words[len(words)-1]
		alt := append([]string(nil), words...)
		if strings.HasSuffix(last, "s") && len(last) > 3 {
			alt[len(alt)-1] = strings.TrimSuffix(last, "s")
		} else {
			alt[len(alt)-1] = last + "s"
		}
		lx.add(lexEntry{words: alt, kind: ekCategory, value: name})
	}
}

// addRegions adds each region and, as a short name, any of its words that
// no other region has ("east" for US-East).
func addRegions(lx *lexicon, names []string) {
	count := map[string]int{}
	split := make([][]string, len(names))
	for i, name := range names {
		split[i] = phraseWords(name)
		for _, w := range dedupe(append([]string(nil), split[i]...)) {
			count[w]++
		}
	}
	for i, name := range names {
		lx.add(lexEntry{words: split[i], kind: ekRegion, value: name})
		if len(split[i]) < 2 {
			continue
		}
		for _, w := range split[i] {
			if count[w] == 1 && !isStopWord(w) && len(w) > 2 {
				lx.add(lexEntry{words: []string{w}, kind: ekRegion, value: name})
			}
		}
	}
}

// addAliased adds names with their everyday aliases.
func addAliased(lx *lexicon, kind entryKind, names []string, aliases map[string][]string) {
	for _, name := range names {
		lx.add(lexEntry{words: phraseWords(name), kind: kind, value: name})
		canon := strings.Join(phraseWords(name), "_")
		for _, a := range aliases[canon] {
			lx.add(lexEntry{words: phraseWords(a), kind: kind, value: name})
		}
	}
}

// typoKeywords are the grammar words worth correcting when mistyped; the
// others are too close to everyday words ("rise", "fall", "back").
const typoKeywords = `compare comparison compared versus trend trending weekly monthly daily quarterly breakdown
	pacing overspending underspending overspend forecast projected projection highest lowest biggest largest
	smallest worst performance performing campaign campaigns category categories platform platforms region regions
	increase increased decrease decreased dropped declined improve improved improving change changed
	awareness recall brand lift help explain breakdown distribution average`

// periodWords are the words of period expressions, known for typo
// correction ("yesterdy", "quater").
const periodWords = `yesterday today week weeks weekend month months quarter quarters year years
	january february march april june july august september october november december
	monday tuesday wednesday thursday friday saturday sunday
	last past previous prior trailing rolling this current since until through between
	black cyber thanksgiving bfcm date holidays christmas halloween valentines memorial labor independence
	fiscal calendar half fortnight season`
