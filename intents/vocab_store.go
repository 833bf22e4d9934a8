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

// Separators of a kept vocabulary: between lists, and between the names of
// one list. A name holding either is not kept (it is worked out again).
const (
	vocabListSep = "\x1e"
	vocabNameSep = "\x1f"
)

// loadVocabulary returns the names in the data at generation gen and the
// parser's vocabulary of them. A process reads them as kept by the first
// one to work them out at that generation, with the words of their
// lexicon, and builds the lexicon itself only for a question that could use
// it: working them out reads and tokenizes every campaign.
func (e *Engine) loadVocabulary(ctx context.Context, gen int64) (data.Names, question.Vocabulary, error) {
	if body, ok, err := e.st.Derived(ctx, vocabKey, gen); err != nil {
		e.log.Debug("read kept vocabulary", slog.Any("error", err))
	} else if ok {
		if n, words, tokens, ok := decodeVocabulary(body); ok {
			v := vocabularyOf(n)
			v.IndexLazily(words, tokens)
			return n, v, nil
		}
	}
	n, err := e.st.Names(ctx)
	if err != nil {
		return data.Names{}, question.Vocabulary{}, err
	}
	v := vocabularyOf(n)
	v.Index()
	if body, ok := encodeVocabulary(n, v.Words(), v.CampaignTokens()); ok {
		if err := e.st.SaveDerived(ctx, vocabKey, gen, body); err != nil {
			e.log.Debug("keep vocabulary", slog.Any("error", err)) // a read-only store works it out each time
		}
	}
	return n, v, nil
}

func vocabularyOf(n data.Names) question.Vocabulary {
	return question.Vocabulary{Campaigns: n.Campaigns, Categories: n.Categories, Regions: n.Regions, CampaignTypes: n.CampaignTypes, Channels: n.Channels}
}

func vocabLists(n *data.Names, words, tokens *[]string) []*[]string {
	return []*[]string{&n.Platforms, &n.Campaigns, &n.CampaignTypes, &n.Categories, &n.Regions, &n.Channels, words, tokens}
}

func encodeVocabulary(n data.Names, words, tokens []string) (string, bool) {
	lists := vocabLists(&n, &words, &tokens)
	parts := make([]string, len(lists))
	for i, l := range lists {
		for _, s := range *l {
			if strings.Contains(s, vocabListSep) || strings.Contains(s, vocabNameSep) {
				return "", false
			}
		}
		parts[i] = strings.Join(*l, vocabNameSep)
	}
	return strings.Join(parts, vocabListSep), true
}

func decodeVocabulary(body string) (data.Names, []string, []string, bool) {
	var n data.Names
	var words, tokens []string
	lists := vocabLists(&n, &words, &tokens)
	parts := strings.Split(body, vocabListSep)
	if len(parts) != len(lists) {
		return data.Names{}, nil, nil, false
	}
	for i, p := range parts {
		if p != "" {
			*lists[i] = strings.Split(p, vocabNameSep)
		}
	}
	if len(tokens) != len(n.Campaigns) {
		tokens = nil // read the names again
	}
	return n, words, tokens, true
}
