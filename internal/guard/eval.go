package guard

import (
	"fmt"
	"io"
	"slices"

	"earshot/internal/model"
)

// Example is one labelled reply of a guard set: Expect is "pass" (an
// ordinary public reply that must go) or "refuse" (one that must not go
// without a change); Category says what kind of reply it is
// ("greeting", "move_private", "diagnosis", "relative_care", ...).
type Example struct {
	Text     string `json:"text"`
	Expect   string `json:"expect"`
	Category string `json:"category"`
}

// Expectations of an Example.
const (
	ExpectPass   = "pass"
	ExpectRefuse = "refuse"
)

// EvalRow is the guard's figures on one category (or, as Overall, on
// all rows): how many rows, how many it refused, and of those that must
// pass and those that must be refused, how many and what share it
// refused.
type EvalRow struct {
	Category      string  `json:"category"`
	Rows          int     `json:"rows"`
	Refused       int     `json:"refused"`
	Pass          int     `json:"pass"`
	FalseRefusals int     `json:"false_refusals"`
	FalseRate     float64 `json:"false_refusal_rate"`
	Refuse        int     `json:"refuse"`
	Caught        int     `json:"caught"`
	RefusalRate   float64 `json:"refusal_rate"`
}

// EvalReport is the guard's figures on a labelled set, per category
// (sorted by name) and overall, with the rows it got wrong.
type EvalReport struct {
	Categories []EvalRow `json:"categories"`
	Overall    EvalRow   `json:"overall"`
	Wrong      []Example `json:"wrong"`
}

// Evaluate runs refused (true when the reply would not go) on every
// example and counts. A row whose Expect is neither pass nor refuse is
// counted in Rows and Refused only.
func Evaluate(examples []Example, refused func(text string) bool) EvalReport {
	byCat := map[string]*EvalRow{}
	rep := EvalReport{Overall: EvalRow{Category: "overall"}, Wrong: []Example{}}
	for _, ex := range examples {
		row := byCat[ex.Category]
		if row == nil {
			row = &EvalRow{Category: ex.Category}
			byCat[ex.Category] = row
		}
		r := refused(ex.Text)
		for _, c := range []*EvalRow{row, &rep.Overall} {
			c.add(ex.Expect, r)
		}
		if (ex.Expect == ExpectPass && r) || (ex.Expect == ExpectRefuse && !r) {
			rep.Wrong = append(rep.Wrong, ex)
		}
	}
	for _, row := range byCat {
		row.rates()
		rep.Categories = append(rep.Categories, *row)
	}
	rep.Overall.rates()
	slices.SortFunc(rep.Categories, func(a, b EvalRow) int {
		if a.Category < b.Category {
			return -1
		}
		if a.Category > b.Category {
			return 1
		}
		return 0
	})
	return rep
}

// Vetted returns Evaluate's refused for g: a public reply without an
// override reason that Vet refuses.
func Vetted(g *Guard) func(string) bool {
	return func(text string) bool {
		_, err := g.Vet(text, model.VisibilityPublic, "")
		return err != nil
	}
}

// add counts one row that was (or was not) refused.
func (c *EvalRow) add(expect string, refused bool) {
	c.Rows++
	if refused {
		c.Refused++
	}
	switch expect {
	case ExpectPass:
		c.Pass++
		if refused {
			c.FalseRefusals++
		}
	case ExpectRefuse:
		c.Refuse++
		if refused {
			c.Caught++
		}
	}
}

// rates fills the shares from the counts.
func (c *EvalRow) rates() {
	if c.Pass > 0 {
		c.FalseRate = float64(c.FalseRefusals) / float64(c.Pass)
	}
	if c.Refuse > 0 {
		c.RefusalRate = float64(c.Caught) / float64(c.Refuse)
	}
}

// Write prints the report as a table, "-" where a rate has no rows.
func (r EvalReport) Write(w io.Writer) {
	fmt.Fprintf(w, "%-16s %5s %7s %14s %14s\n", "category", "rows", "refused", "false refusal", "refusal rate")
	for _, c := range append(slices.Clone(r.Categories), r.Overall) {
		fmt.Fprintf(w, "%-16s %5d %7d %14s %14s\n", c.Category, c.Rows, c.Refused,
			rate(c.FalseRefusals, c.Pass), rate(c.Caught, c.Refuse))
	}
}

// rate is n/d as a percentage with its counts, or "-" when d is 0.
func rate(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%5.1f%% %d/%d", 100*float64(n)/float64(d), n, d)
}
