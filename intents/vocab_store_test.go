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
	// An engine that finds the rest of the vocabulary kept but not its
	// campaigns (spoilt, or replaced by a later import's) reads them from
	// the data.
	kept, ok, err := first.Store().Derived(ctx, vocabCampaignsKey, gen)
	if err != nil || !ok {
		t.Fatalf("campaigns not kept: %v", err)
	}
	if err := first.Store().SaveDerived(ctx, vocabCampaignsKey, gen, "spoilt"); err != nil {
		t.Fatal(err)
	}
	spoilt := New(first.Store())
	if _, err := spoilt.Vocabulary(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(vocabNames(first.vocab), vocabNames(spoilt.vocab), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("names with the campaigns spoilt differ (-worked out +kept):\n%s", diff)
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
			got, _, err = spoilt.Ask(ctx, q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("answers differ (-worked out +kept campaigns spoilt):\n%s", diff)
			}
		})
	}
	if err := first.Store().SaveDerived(ctx, vocabCampaignsKey, gen, kept); err != nil {
		t.Fatal(err)
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
		{"list separator in a category", data.Names{Categories: []string{"odd\x1ename"}}, nil, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, campaigns, ok := encodeVocabulary(tt.names, tt.words, tt.tokens)
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
			c, tok, ok := decodeCampaigns(campaigns)
			if !ok {
				t.Fatal("decode campaigns failed")
			}
			n, words, tokens := k.names, k.words.List(), tok.List()
			n.Campaigns = c.List()
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

// TestVocabularyDecodeRejects: bodies of another shape than
// encodeVocabulary's are not read as a vocabulary or its campaigns, and
// tokens that are not one per campaign are dropped rather than matched to
// the wrong names.
func TestVocabularyDecodeRejects(t *testing.T) {
	good, campaigns, ok := encodeVocabulary(data.Names{Platforms: []string{"meta"}, Campaigns: []string{"A", "B b"}}, []string{"a", "b"}, []string{"a", "b b"})
	if !ok {
		t.Fatal("encode failed")
	}
	for _, body := range []string{
		"",
		"spoilt",
		strings.Repeat(vocabListSep, vocabLists-2), // a list short
		strings.Repeat(vocabListSep, vocabLists),   // a list over
		good + vocabListSep,                        // a list over
		campaigns,                                  // the campaigns, not the rest
		strings.TrimSuffix(good, vocabListSep+"a"+question.PackSep+"b"), // no words
	} {
		if _, ok := decodeVocabulary(body); ok {
			t.Errorf("decodeVocabulary(%q) read a vocabulary", body)
		}
	}
	for _, body := range []string{
		"",
		"spoilt",
		good, // the rest, not the campaigns
		campaigns + vocabListSep,
		strings.TrimSuffix(campaigns, vocabListSep+"a"+question.PackSep+"b b"), // no tokens
	} {
		if _, _, ok := decodeCampaigns(body); ok {
			t.Errorf("decodeCampaigns(%q) read campaigns", body)
		}
	}
	short := strings.TrimSuffix(campaigns, question.PackSep+"b b")
	c, tokens, ok := decodeCampaigns(short)
	if !ok {
		t.Fatalf("decodeCampaigns(%q) failed", short)
	}
	if c.Len() != 2 || tokens != "" {
		t.Errorf("decodeCampaigns(%q) = %q, %q; want 2 campaigns and no tokens", short, c, tokens)
	}
}
