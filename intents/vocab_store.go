package intents

import (
	"context"
	"log/slog"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/question"
)

// vocabKey names the vocabulary kept in the store per import generation,
// and the parser's way of reading names into words it was kept with.
const vocabKey = "vocabulary.v2.tokens" + question.TokensVersion

// vocabListSep separates the lists of a kept vocabulary; the names of one
// list are joined by question.PackSep. A name holding either is not kept
// (it is worked out again).
const vocabListSep = "\x1e"

// loadVocabulary returns the parser's vocabulary of the names in the data
// at generation gen. A process reads it as kept by the first one to work
// it out at that generation, with the words of its lexicon, and builds the
// lexicon itself only for a question that could use it: working them out
// reads and tokenizes every campaign. Of what is kept, only the short
// lists are split up front; the words are searched in place, and the
// campaigns split on the first question that needs them.
func (e *Engine) loadVocabulary(ctx context.Context, gen int64) (question.Vocabulary, error) {
	if body, ok, err := e.st.Derived(ctx, vocabKey, gen); err != nil {
		e.log.Debug("read kept vocabulary", slog.Any("error", err))
	} else if ok {
		if k, ok := decodeVocabulary(body); ok {
			v := vocabularyOf(k.names)
			v.IndexPacked(k.campaigns, k.words, k.tokens)
			return v, nil
		}
	}
	n, err := e.st.Names(ctx)
	if err != nil {
		return question.Vocabulary{}, err
	}
	v := vocabularyOf(n)
	v.Index()
	if body, ok := encodeVocabulary(n, v.Words(), v.CampaignTokens()); ok {
		if err := e.st.SaveDerived(ctx, vocabKey, gen, body); err != nil {
			e.log.Debug("keep vocabulary", slog.Any("error", err)) // a read-only store works it out each time
		}
	}
	return v, nil
}

func vocabularyOf(n data.Names) question.Vocabulary {
	return question.Vocabulary{Campaigns: n.Campaigns, Categories: n.Categories, Regions: n.Regions, CampaignTypes: n.CampaignTypes, Channels: n.Channels}
}

// keptVocabulary is a vocabulary as kept: its short lists split, its
// campaigns, their words and the lexicon's words packed.
type keptVocabulary struct {
	names                    data.Names // without Campaigns
	campaigns, words, tokens question.Packed
}

// The lists of a kept vocabulary, in order: the platforms, campaigns,
// campaign types, categories, regions and channels, the lexicon's words,
// and the campaigns' words.
const vocabLists = 8

func encodeVocabulary(n data.Names, words, tokens []string) (string, bool) {
	parts := make([]string, 0, vocabLists)
	for _, l := range [][]string{n.Platforms, n.Campaigns, n.CampaignTypes, n.Categories, n.Regions, n.Channels, words, tokens} {
		p, ok := question.Pack(l)
		if !ok || strings.Contains(string(p), vocabListSep) {
			return "", false
		}
		parts = append(parts, string(p))
	}
	return strings.Join(parts, vocabListSep), true
}

// decodeVocabulary reads what encodeVocabulary wrote, or reports false for
// a body of any other shape.
func decodeVocabulary(body string) (keptVocabulary, bool) {
	var parts [vocabLists]string
	rest := body
	for i := range parts {
		p, after, found := strings.Cut(rest, vocabListSep)
		if found == (i == len(parts)-1) {
			return keptVocabulary{}, false // too few lists, or too many
		}
		parts[i], rest = p, after
	}
	var k keptVocabulary
	for i, l := range []*[]string{&k.names.Platforms, nil, &k.names.CampaignTypes, &k.names.Categories, &k.names.Regions, &k.names.Channels} {
		if l != nil {
			*l = question.Packed(parts[i]).List()
		}
	}
	k.campaigns, k.words, k.tokens = question.Packed(parts[1]), question.Packed(parts[6]), question.Packed(parts[7])
	if k.tokens.Len() != k.campaigns.Len() {
		k.tokens = "" // read the names again
	}
	return k, true
}
