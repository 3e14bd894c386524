package analyze

import (
	"sort"
	"strings"
	"testing"
)

func TestIntentsMicroF1(t *testing.T) {
	lines := readLines(t, "testdata/intents.tsv")
	if len(lines) < 200 {
		t.Fatalf("intent set has %d posts, want at least 200", len(lines))
	}
	a := New()
	known := map[string]bool{}
	for _, id := range a.tax.ids {
		known[id] = true
	}
	type pr struct{ tp, fp, fn int }
	per := map[string]*pr{}
	get := func(k string) *pr {
		if per[k] == nil {
			per[k] = &pr{}
		}
		return per[k]
	}
	var all pr
	for _, l := range lines {
		labels, text, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("bad line %q", l)
		}
		gold := map[string]bool{}
		if labels != "-" {
			for _, g := range strings.Split(labels, ",") {
				if !known[g] {
					t.Fatalf("unknown intent %q in %q", g, l)
				}
				gold[g] = true
			}
		}
		got := a.Analyze(Input{Text: text}).Intents
		seen := map[string]bool{}
		for _, g := range got {
			seen[g] = true
			if gold[g] {
				get(g).tp++
				all.tp++
			} else {
				get(g).fp++
				all.fp++
				t.Logf("extra %-11s %s", g, text)
			}
		}
		for g := range gold {
			if !seen[g] {
				get(g).fn++
				all.fn++
				t.Logf("missed %-10s %s", g, text)
			}
		}
	}
	var ids []string
	for k := range per {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	for _, k := range ids {
		c := per[k]
		p, r, f := prf(c.tp, c.tp+c.fp, c.tp+c.fn)
		t.Logf("%-12s P %.2f R %.2f F1 %.2f", k, p, r, f)
	}
	p, r, f := prf(all.tp, all.tp+all.fp, all.tp+all.fn)
	t.Logf("micro P %.3f R %.3f F1 %.3f", p, r, f)
	if f < 0.85 {
		t.Errorf("intent micro-F1 %.3f, want >= 0.85", f)
	}
}

func TestParseTaxonomy(t *testing.T) {
	tests := []struct {
		name, src string
		wantErr   bool
		text      string
		want      []string
	}{
		{"simple", "intent parking\nparking\nvalet\n", false, "where is the valet?", []string{"parking"}},
		{"exclusion", "intent card\ncard\n-credit card\n", false, "my credit card was charged", nil},
		{"inflection", "intent wait\nwait+\n", false, "we waited all day", []string{"wait"}},
		{"gap", "intent callback\ncall * back\n", false, "please call me back", []string{"callback"}},
		{"phrase before intent", "parking\n", true, "", nil},
		{"duplicate", "intent a\nx\nintent a\ny\n", true, "", nil},
		{"empty", "# nothing\n", true, "", nil},
		{"leading gap", "intent a\n* x\n", true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tax, err := ParseTaxonomy([]byte(tt.src))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			a := NewWithOptions(Options{Taxonomy: tax})
			var got []string
			for _, i := range a.Analyze(Input{Text: tt.text}).Intents {
				if i != IntentComplaint && i != IntentQuestion && i != IntentPraise {
					got = append(got, i)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("intents %v, want %v", got, tt.want)
			}
		})
	}
}
