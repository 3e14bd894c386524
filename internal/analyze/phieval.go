package analyze

import (
	"fmt"
	"io"
	"sort"

	"earshot/internal/model"
)

// GoldSpan is a labelled span in a PHI evaluation file (the shape of
// presidio_synth.jsonl: type, UTF-8 byte offsets, value).
type GoldSpan struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value,omitempty"`
}

// PHIExample is one row of a PHI evaluation file.
type PHIExample struct {
	Text  string     `json:"text"`
	Spans []GoldSpan `json:"spans"`
}

// goldTypeMap maps entity names used by common PII corpora to Earshot PHI
// types. Earshot's own type names map to themselves.
var goldTypeMap = map[string]string{
	"PERSON": PHIName, "STREET_ADDRESS": PHIAddress, "CREDIT_CARD": PHICardNumber, "DATE_TIME": PHIDate,
	"PHONE_NUMBER": PHIPhone, "EMAIL_ADDRESS": PHIEmail, "US_SSN": PHISSN,
}

// MapGoldType returns the Earshot PHI type of a gold label, or "" when
// Earshot does not detect that kind of entity.
func MapGoldType(t string) string {
	if m, ok := goldTypeMap[t]; ok {
		return m
	}
	for _, p := range PHITypes {
		if p == t {
			return t
		}
	}
	return ""
}

// PHITypeScore is span-level precision, recall and F1 of one type.
type PHITypeScore struct {
	Type      string  `json:"type"`
	Gold      int     `json:"gold"`
	Predicted int     `json:"predicted"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// ExactRecall counts only predictions with the gold span's exact
	// offsets.
	ExactRecall float64 `json:"exact_recall"`
}

// PHIReport is the result of EvaluatePHI.
type PHIReport struct {
	Rows  int            `json:"rows"`
	Types []PHITypeScore `json:"types"`
	// Overall pools every scored type.
	Overall PHITypeScore `json:"overall"`
	// Unscored counts predictions of types the file never labels.
	Unscored map[string]int `json:"unscored"`
}

// EvaluatePHI scores predicted findings against gold spans, span by span:
// a prediction is correct when it overlaps a gold span of the same type,
// and a gold span is found when a prediction of its type overlaps it.
// Only types the gold data labels are scored.
func EvaluatePHI(examples []PHIExample, predict func(text string) []model.PHIFinding) PHIReport {
	r := PHIReport{Rows: len(examples), Unscored: map[string]int{}}
	type counts struct{ gold, found, exact, pred, correct int }
	byType := map[string]*counts{}
	get := func(t string) *counts {
		c := byType[t]
		if c == nil {
			c = &counts{}
			byType[t] = c
		}
		return c
	}
	for _, ex := range examples {
		for _, g := range ex.Spans {
			if t := MapGoldType(g.Type); t != "" {
				get(t).gold++
			}
		}
	}
	for _, ex := range examples {
		preds := predict(ex.Text)
		for _, g := range ex.Spans {
			t := MapGoldType(g.Type)
			if t == "" {
				continue
			}
			found, exact := false, false
			for _, p := range preds {
				if p.Type == t && p.Start < g.End && g.Start < p.End {
					found = true
					if p.Start == g.Start && p.End == g.End {
						exact = true
					}
				}
			}
			if found {
				get(t).found++
			}
			if exact {
				get(t).exact++
			}
		}
		for _, p := range preds {
			c, scored := byType[p.Type]
			if !scored {
				r.Unscored[p.Type]++
				continue
			}
			c.pred++
			for _, g := range ex.Spans {
				if MapGoldType(g.Type) == p.Type && p.Start < g.End && g.Start < p.End {
					c.correct++
					break
				}
			}
		}
	}
	var all counts
	for t, c := range byType {
		s := PHITypeScore{Type: t, Gold: c.gold, Predicted: c.pred}
		s.Precision, s.Recall, s.F1 = prfRatio(c.correct, c.pred, c.found, c.gold)
		if c.gold > 0 {
			s.ExactRecall = float64(c.exact) / float64(c.gold)
		}
		r.Types = append(r.Types, s)
		all.gold += c.gold
		all.found += c.found
		all.exact += c.exact
		all.pred += c.pred
		all.correct += c.correct
	}
	sort.Slice(r.Types, func(i, j int) bool { return r.Types[i].Type < r.Types[j].Type })
	r.Overall = PHITypeScore{Type: "overall", Gold: all.gold, Predicted: all.pred}
	r.Overall.Precision, r.Overall.Recall, r.Overall.F1 = prfRatio(all.correct, all.pred, all.found, all.gold)
	if all.gold > 0 {
		r.Overall.ExactRecall = float64(all.exact) / float64(all.gold)
	}
	return r
}

func prfRatio(correct, pred, found, gold int) (p, r, f float64) {
	if pred > 0 {
		p = float64(correct) / float64(pred)
	}
	if gold > 0 {
		r = float64(found) / float64(gold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// Write prints the report as a table.
func (r PHIReport) Write(w io.Writer) {
	fmt.Fprintf(w, "rows %d (span overlap matching; exact = same offsets)\n\n", r.Rows)
	fmt.Fprintf(w, "%-22s %6s %6s %9s %7s %7s %7s\n", "type", "gold", "pred", "precision", "recall", "F1", "exact")
	for _, s := range append(append([]PHITypeScore(nil), r.Types...), r.Overall) {
		fmt.Fprintf(w, "%-22s %6d %6d %9.3f %7.3f %7.3f %7.3f\n", s.Type, s.Gold, s.Predicted, s.Precision, s.Recall, s.F1, s.ExactRecall)
	}
	if len(r.Unscored) > 0 {
		var ks []string
		for k := range r.Unscored {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		fmt.Fprint(w, "\nunscored predictions (types the file does not label):")
		for _, k := range ks {
			fmt.Fprintf(w, " %s=%d", k, r.Unscored[k])
		}
		fmt.Fprintln(w)
	}
}

// EvaluatePHIReport evaluates a's PHI detection on examples.
func (a *Analyzer) EvaluatePHIReport(examples []PHIExample) PHIReport {
	return EvaluatePHI(examples, a.FindPHI)
}
