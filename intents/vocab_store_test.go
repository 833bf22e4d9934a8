package intents

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/question"
)

// TestKeptVocabularyAnswersAlike asks questions of an engine that worked out
// the vocabulary and of one that read it as kept in the store: the answers
// must be the same.
func TestKeptVocabularyAnswersAlike(t *testing.T) {
	first, _ := demoDB(t)
	ctx := context.Background()
	gen, err := first.Store().Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Spoil what an earlier test kept, so that first works it out.
	if err := first.Store().SaveDerived(ctx, vocabKey, gen, "spoilt"); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Vocabulary(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := first.Store().Derived(ctx, vocabKey, gen); err != nil || !ok {
		t.Fatalf("vocabulary not kept: %v", err)
	}
	again := New(first.Store())
	if _, err := again.Vocabulary(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(vocabNames(first.vocab), vocabNames(again.vocab), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("kept names differ (-worked out +kept):\n%s", diff)
	}
	for _, q := range []string{
		"spend last month by platform",
		"roas by category last month",
		"spend on the holiday campaign last week",
		"which campaigns had the best roas last week",
		"revenue in stores last week",
		"spend on retargeting last month",
		"roas for apparell last month",
	} {
		t.Run(q, func(t *testing.T) {
			want, _, err := first.Ask(ctx, q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := again.Ask(ctx, q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("answers differ (-worked out +kept):\n%s", diff)
			}
		})
	}
}

// vocabNames lists the names of a vocabulary, however it holds them.
func vocabNames(v question.Vocabulary) [][]string {
	return [][]string{v.CampaignNames(), v.Categories, v.Regions, v.CampaignTypes, v.Channels}
}

func TestVocabularyEncoding(t *testing.T) {
	for _, tt := range []struct {
		name   string
		names  data.Names
		words  []string
		tokens []string
		wantOK bool
	}{
		{"full", data.Names{Platforms: []string{"meta"}, Campaigns: []string{"A", "B b"}, Categories: []string{"Toys"}, Channels: []string{"store"}}, []string{"a", "b"}, []string{"a", "b b"}, true},
		{"empty", data.Names{}, nil, nil, true},
		{"separator in a name", data.Names{Campaigns: []string{"odd\x1fname"}}, nil, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, ok := encodeVocabulary(tt.names, tt.words, tt.tokens)
			if ok != tt.wantOK {
				t.Fatalf("encode ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			k, ok := decodeVocabulary(body)
			if !ok {
				t.Fatal("decode failed")
			}
			n, words, tokens := k.names, k.words.List(), k.tokens.List()
			n.Campaigns = k.campaigns.List()
			if diff := cmp.Diff(tt.names, n, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.words, words, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("words (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.tokens, tokens, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("campaign tokens (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVocabularyDecodeRejects: a body of another shape than
// encodeVocabulary's is not read as a vocabulary, and tokens that are not
// one per campaign are dropped rather than matched to the wrong names.
func TestVocabularyDecodeRejects(t *testing.T) {
	good, ok := encodeVocabulary(data.Names{Campaigns: []string{"A", "B b"}}, []string{"a", "b"}, []string{"a", "b b"})
	if !ok {
		t.Fatal("encode failed")
	}
	for _, body := range []string{
		"",
		"spoilt",
		strings.Repeat(vocabListSep, vocabLists-2),                        // a list short
		strings.Repeat(vocabListSep, vocabLists),                          // a list over
		good + vocabListSep,                                               // a list over
		strings.TrimSuffix(good, vocabListSep+"a"+question.PackSep+"b b"), // no tokens
	} {
		if _, ok := decodeVocabulary(body); ok {
			t.Errorf("decodeVocabulary(%q) read a vocabulary", body)
		}
	}
	short := strings.TrimSuffix(good, question.PackSep+"b b")
	k, ok := decodeVocabulary(short)
	if !ok {
		t.Fatalf("decodeVocabulary(%q) failed", short)
	}
	if k.tokens != "" {
		t.Errorf("tokens for 1 of 2 campaigns kept: %q", k.tokens)
	}
}
