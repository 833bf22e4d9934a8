package model_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	_ "github.com/sowhat-ai/sowhat/wording" // sets model.ValueText
)

// TestAnswerJSONRawAndText: currency is rounded to cents, other values stay
// raw, and each value's printed text sits beside it, in rows and total.
func TestAnswerJSONRawAndText(t *testing.T) {
	a := model.Answer{
		Rows: []model.Row{{Key: map[string]string{"platform": "meta"},
			Values:        model.Values{model.Spend: model.Float(431900.0000000002), model.ROAS: model.Float(3.214567), model.CPA: nil},
			CompareValues: model.Values{model.Spend: model.Float(400000.004)}}},
		Total: model.Row{Values: model.Values{model.Spend: model.Float(431900.0000000002)}},
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"spend":431900`, `"roas":3.214567`, `"cpa":null`, `"text":{"cpa":"n/a","roas":"3.21x","spend":"$431,900"}`,
		`"compare_text":{"spend":"$400,000"}`, `"total":{"values":{"spend":431900},"compare_values":null,"text":{"spend":"$431,900"}}`, `"key":{"platform":"meta"}`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "0000000002") || strings.Contains(s, "400000.004") {
		t.Errorf("currency not rounded to cents:\n%s", s)
	}
}
