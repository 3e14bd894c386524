package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// crisisRow is one labelled row of a crisis set. Rows without "kind"
// count as not critical ("none"), so any sentiment file can be measured
// for false criticals; rows with a C-SSRS "severity" count as self_harm
// from level 1 (a wish to be dead) up.
type crisisRow struct {
	Text     string `json:"text"`
	Lang     string `json:"lang"`
	Kind     string `json:"kind"`
	Note     string `json:"note"`
	Severity *int   `json:"severity"`
}

// crisisCell is the count of one kind and language of a crisis report.
type crisisCell struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	Rows int    `json:"rows"`
	// Critical is how many rows were graded critical: for a crisis kind
	// its share is the recall, for "none" the false-critical rate.
	Critical int     `json:"critical"`
	Rate     float64 `json:"rate"`
	// KindRight counts criticals whose reasons include the labelled kind.
	KindRight int `json:"kind_right,omitempty"`
}

// crisisReport is what `earshot eval --crisis` prints.
type crisisReport struct {
	Cells []crisisCell `json:"cells"`
	// Recall is over all rows of a crisis kind, FalseCritical over all
	// rows labelled none.
	Recall        float64 `json:"recall"`
	FalseCritical float64 `json:"false_critical"`
	Positives     int     `json:"positives"`
	Negatives     int     `json:"negatives"`
	// Wrong lists misses and false criticals when asked (--list).
	Wrong []crisisWrong `json:"wrong,omitempty"`
}

// crisisWrong is one row the analyser got wrong.
type crisisWrong struct {
	Kind    string   `json:"kind"`
	Reasons []string `json:"reasons,omitempty"`
	Text    string   `json:"text"`
}

// evalCrisis measures critical urgency against crisis rows read from r.
func evalCrisis(a *analyze.Analyzer, r io.Reader, list bool) (*crisisReport, error) {
	type key struct{ kind, lang string }
	cells := map[key]*crisisCell{}
	rep := &crisisReport{}
	var pos, posHit, neg, negHit int
	err := readJSONLines(r, func(line int, b []byte) error {
		var row crisisRow
		if err := decodeRow(b, &row); err != nil {
			return err
		}
		kind := row.Kind
		switch {
		case kind == "" && row.Severity != nil && *row.Severity >= 1:
			kind = analyze.CrisisSelfHarm
		case kind == "":
			kind = "none"
		}
		if !slices.Contains(analyze.CrisisClasses[:], kind) {
			return fmt.Errorf("kind %q is not a crisis kind or none", kind)
		}
		lang := row.Lang
		if lang == "" {
			lang = "?"
		}
		u := a.Analyze(analyze.Input{Text: row.Text}).Urgency
		crit := u.Level == model.UrgencyCritical
		c := cells[key{kind, lang}]
		if c == nil {
			c = &crisisCell{Kind: kind, Lang: lang}
			cells[key{kind, lang}] = c
		}
		c.Rows++
		if crit {
			c.Critical++
			for _, reason := range u.Reasons {
				if reason == kind {
					c.KindRight++
				}
			}
		}
		if kind == "none" {
			neg++
			if crit {
				negHit++
			}
		} else {
			pos++
			if crit {
				posHit++
			}
		}
		if list && crit != (kind != "none") {
			rep.Wrong = append(rep.Wrong, crisisWrong{Kind: kind, Reasons: u.Reasons, Text: row.Text})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		c.Rate = ratio(c.Critical, c.Rows)
		rep.Cells = append(rep.Cells, *c)
	}
	sort.Slice(rep.Cells, func(i, j int) bool {
		x, y := rep.Cells[i], rep.Cells[j]
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		return x.Lang < y.Lang
	})
	rep.Positives, rep.Negatives = pos, neg
	rep.Recall, rep.FalseCritical = ratio(posHit, pos), ratio(negHit, neg)
	return rep, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// write prints the report as a table.
func (rep *crisisReport) write(w io.Writer) {
	fmt.Fprintf(w, "%-18s %-4s %6s %8s %s\n", "kind", "lang", "rows", "critical", "rate")
	for _, c := range rep.Cells {
		what := "recall"
		if c.Kind == "none" {
			what = "false critical"
		}
		fmt.Fprintf(w, "%-18s %-4s %6d %8d %.3f %s\n", c.Kind, c.Lang, c.Rows, c.Critical, c.Rate, what)
	}
	fmt.Fprintf(w, "overall: recall %.3f of %d at risk, false critical %.3f of %d others\n",
		rep.Recall, rep.Positives, rep.FalseCritical, rep.Negatives)
	for _, x := range rep.Wrong {
		what := "missed " + x.Kind
		if x.Kind == "none" {
			what = "false critical " + strings.Join(x.Reasons, ",")
		}
		fmt.Fprintf(w, "%s: %s\n", what, strings.Join(strings.Fields(x.Text), " "))
	}
}

// runEvalCrisis is `earshot eval --crisis`.
func runEvalCrisis(env *Env, a *analyze.Analyzer, r io.Reader, name string, asJSON, list bool) error {
	rep, err := evalCrisis(a, r, list)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if rep.Positives+rep.Negatives == 0 {
		return fmt.Errorf("%s: no rows", name)
	}
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	rep.write(env.Stdout)
	return nil
}
