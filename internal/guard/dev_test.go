package guard

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// readExamples reads a guard set of JSON Lines.
func readExamples(t testing.TB, file string) []Example {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var ex Example
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		if ex.Expect != ExpectPass && ex.Expect != ExpectRefuse || ex.Category == "" || ex.Text == "" {
			t.Fatalf("%s:%d: bad row %+v", file, n, ex)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// holdFigures evaluates set with g and fails unless it has at least
// minPass ordinary and minRefuse must-refuse replies, at most maxFalse
// of the ordinary ones are refused and at least minRefused of the
// others; it logs every reply the guard got wrong.
func holdFigures(t *testing.T, g *Guard, set []Example, minPass, minRefuse int, maxFalse, minRefused float64) {
	t.Helper()
	rep := Evaluate(set, Vetted(g))
	o := rep.Overall
	if o.Pass < minPass || o.Refuse < minRefuse {
		t.Fatalf("the set has %d ordinary and %d must-refuse replies, want at least %d and %d", o.Pass, o.Refuse, minPass, minRefuse)
	}
	if o.FalseRate > maxFalse {
		t.Errorf("false refusals %d/%d = %.3f, want at most %.3f", o.FalseRefusals, o.Pass, o.FalseRate, maxFalse)
	}
	if o.RefusalRate < minRefused {
		t.Errorf("refusals %d/%d = %.3f, want at least %.3f", o.Caught, o.Refuse, o.RefusalRate, minRefused)
	}
	for _, w := range rep.Wrong {
		t.Logf("wrong (%s, want %s): %q", w.Category, w.Expect, w.Text)
	}
}

// checkRefusals checks every refusal of the must-refuse rows of set: it
// has reasons that mark the words they name and say why, and a
// suggested rewrite that itself goes.
func checkRefusals(t *testing.T, g *Guard, set []Example) {
	t.Helper()
	for _, ex := range set {
		if ex.Expect != ExpectRefuse {
			continue
		}
		r, err := g.Vet(ex.Text, model.VisibilityPublic, "")
		if err == nil {
			continue
		}
		if len(r.Reasons) == 0 {
			t.Errorf("%q refused without reasons", ex.Text)
		}
		for _, rs := range r.Reasons {
			if ex.Text[rs.Start:rs.End] != rs.Phrase || rs.Why == "" || rs.Kind == "" {
				t.Errorf("%q: bad reason %+v", ex.Text, rs)
			}
		}
		if r.Suggestion == "" {
			t.Errorf("%q refused without a suggestion", ex.Text)
			continue
		}
		if _, err := g.Vet(r.Suggestion, model.VisibilityPublic, ""); err != nil {
			t.Errorf("%q: suggestion %q refused: %v", ex.Text, r.Suggestion, err)
		}
	}
}

// TestDevSet holds the guard's figures on our development set: at most
// 2% of ordinary replies refused and at least 97.5% of replies that must
// be refused refused, each refusal with its reasons and a suggestion
// that itself goes.
func TestDevSet(t *testing.T) {
	g := New(analyze.New())
	set := readExamples(t, "testdata/dev.jsonl")
	holdFigures(t, g, set, 300, 250, 0.005, 0.995)
	checkRefusals(t, g, set)
}

// TestFreshSets holds the guard's figures on the batches written for the
// second round (testdata/fresh2_*.jsonl: each written before the guard
// was tuned on it): at most 1% of ordinary
// replies refused and at least 95.5% of replies that must be refused
// refused over all of them, each batch at least 93%, and a suggestion
// that goes for every refusal.
func TestFreshSets(t *testing.T) {
	g := New(analyze.New())
	var all []Example
	for _, b := range []string{"a", "b", "c", "d", "e", "f"} {
		var set []Example
		for _, f := range []string{"pass", "refuse"} {
			set = append(set, readExamples(t, "testdata/fresh2_"+b+"_"+f+".jsonl")...)
		}
		if o := Evaluate(set, Vetted(g)).Overall; o.RefusalRate < 0.93 {
			t.Errorf("fresh2_%s: refusals %d/%d = %.3f, want at least 0.93", b, o.Caught, o.Refuse, o.RefusalRate)
		}
		all = append(all, set...)
	}
	holdFigures(t, g, all, 400, 550, 0.01, 0.955)
	checkRefusals(t, g, all)
}

// TestFreshSets3 holds the guard's figures on the batches written for the
// third round (testdata/fresh3_*.jsonl, each measured before the guard
// was tuned on it; fresh3_i was never tuned on): at least 90% of replies
// that must be refused refused over all three, and at most 5% of ordinary replies refused. Most ordinary
// replies still refused give a phone number with no word that makes it
// the organisation's ("call 020 7946 0999 to collect"), which the guard
// refuses unless it is one of the organisation's Contacts (TestContacts).
func TestFreshSets3(t *testing.T) {
	g := New(analyze.New())
	var all []Example
	for _, b := range []string{"g", "h", "i"} {
		for _, f := range []string{"pass", "refuse"} {
			all = append(all, readExamples(t, "testdata/fresh3_"+b+"_"+f+".jsonl")...)
		}
	}
	holdFigures(t, g, all, 180, 270, 0.05, 0.90)
	checkRefusals(t, g, all)
}

// TestCues: the sentence cues of cues.go, one case each, and what they
// leave alone.
func TestCues(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		text  string
		kinds string
	}{
		{"Hi Lee, you're enrolled in our weight management program.", "relationship"},
		{"Thanks for trusting us with your care all these years, Mrs. Roe.", "relationship"},
		{"Hi Bo, your family plan with us covers your son too.", "relationship"},
		{"Hi Kay, so glad the nurses on 5 West looked after you so well.", "admission admission"},
		{"Sorry the psych unit was so loud at night, Sam.", "admission"},
		{"Hi Jo, your discharge papers are at the front desk.", "admission"},
		{"Hi Al, your screen needs to be repeated next month.", "results"},
		{"Hola Ana, su prueba salió positiva.", "results"},
		{"Hi Max, we moved you to Thursday 2:45 with the dermatologist.", "appointment"},
		{"Hi Lu, your dose was lowered to 50 mg.", "medication"},
		{"Hi Cal, your nephrologist says thanks for the kind words.", "relationship"},
		{"Hi Sy, congratulations to our NICU team on the award!", ""},
		{"Hi Ty, you can request your records online.", ""},
		{"Hi Em, our urgent care on Pine St. opens Monday at 8am.", ""},
		{"Hi Cy, you're enrolled in our rewards program, so points post on their own.", ""},
		{"Talk to your doctor about screening.", ""},
		{"Hi Ed, your new phone should arrive Thursday.", ""},
		{"Hi Ann, take the elevator to the 3rd floor and follow signs to imaging.", ""},
		{"Hi Sy, the cancer center is in Building 4.", ""},
	} {
		r := g.Check(tc.text, model.VisibilityPublic)
		var kinds []string
		for _, rs := range r.Reasons {
			kinds = append(kinds, rs.Kind)
		}
		if got := strings.Join(kinds, " "); got != tc.kinds {
			t.Errorf("%q: kinds %q, want %q", tc.text, got, tc.kinds)
		}
	}
}

// TestSuggestion: a suggestion keeps the greeting, the apology and the
// sign-off, drops the health details and asks for a private message
// when the reply did not.
func TestSuggestion(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct{ text, want string }{
		{"Hi Chris, we're sorry about your mother's stroke care at Austin Medical Center. ^Helen",
			"Hi Chris, we're sorry about your family member's experience. Please send us a direct message so we can help. ^Helen"},
		{"Your metformin refill is ready for pickup. Please DM us with any questions. -Becky",
			"Please DM us with any questions. -Becky"},
		{"So sorry the MRI was late. We hope you're feeling better.",
			"We're sorry to hear about this. We hope you're feeling better. Please send us a direct message so we can help."},
		// A clause about a relative goes whole: only a noun phrase
		// ("your mother's stroke care") gives way to "your family
		// member's experience".
		{"We're glad your son was discharged today!",
			"We're glad to hear from you. Please send us a direct message so we can help."},
		{"So sorry your son has asthma, we hope his inhaler refill helps. Please DM us.",
			"We're sorry to hear about this. Please DM us."},
	} {
		r, err := g.Vet(tc.text, model.VisibilityPublic, "")
		if err == nil {
			t.Errorf("%q went", tc.text)
			continue
		}
		if r.Suggestion != tc.want {
			t.Errorf("%q: suggestion\n %q, want\n %q", tc.text, r.Suggestion, tc.want)
		}
	}
}

// TestContacts: the organisation's own phones, addresses and web
// addresses are never findings; anyone else's are.
func TestContacts(t *testing.T) {
	c := Contacts{Phones: []string{"+1 512-555-0199"}, Emails: []string{"hello@stlukes-example.org"}, Links: []string{"https://www.stlukes-example.org/"}}
	g := New(analyze.New(), WithContacts(func() Contacts { return c }))
	for _, tc := range []struct {
		text string
		ok   bool
	}{
		{"Please call us back at 512-555-0199.", true},
		{"Please call us back at (512) 555 0199.", true},
		{"Please call us back at 512-555-0198.", false},
		{"Write to hello@stlukes-example.org for details.", true},
		{"Write to jane.doe@stlukes-example.org for details.", true},
		{"Write to jane.doe@gmail.com for details.", false},
		{"Call Member Services at 1-800-555-0134 or 0800 123 4567.", true},
		{"Details at https://www.stlukes-example.org/claims/884422119", true},
	} {
		_, err := g.Vet(tc.text, model.VisibilityPublic, "")
		if (err == nil) != tc.ok {
			t.Errorf("%q: Vet = %v, want ok %v", tc.text, err, tc.ok)
		}
	}
	if _, err := New(analyze.New()).Vet("Please call us back at 512-555-0199.", model.VisibilityPublic, ""); err == nil {
		t.Error("a number that is not the organisation's went")
	}
}

// TestBlockOrWarn: health information blocks whatever the reason given;
// a relationship alone needs a reason.
func TestBlockOrWarn(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		text  string
		block bool
		kinds string
	}{
		{"We hope your stay was restful.", false, "admission"},
		{"As our patient, you deserve better.", false, "relationship"},
		{"Your appointment with Dr. Patel is Tuesday at 3:15pm.", true, "appointment care_date"},
		{"Your son's asthma medication is ready.", true, "relative_care"},
		{"Your baby's delivery date of 8/21 is noted.", true, "relative_care"},
		{"We confirmed your date of birth, 04/12/1979.", true, "dob"},
		{"Your A1C was 7.2.", true, "results"},
	} {
		r := g.Check(tc.text, model.VisibilityPublic)
		var kinds []string
		for _, rs := range r.Reasons {
			kinds = append(kinds, rs.Kind)
		}
		if r.Blocked != tc.block || strings.Join(kinds, " ") != tc.kinds {
			t.Errorf("%q: blocked %v, kinds %q; want %v, %q", tc.text, r.Blocked, kinds, tc.block, tc.kinds)
		}
		if _, err := g.Vet(tc.text, model.VisibilityPublic, "asked in public"); (err != nil) != tc.block {
			t.Errorf("%q with a reason: %v", tc.text, err)
		}
	}
}

// BenchmarkCheck times the guard on a typical public reply.
func BenchmarkCheck(b *testing.B) {
	g := New(analyze.New())
	text := "Hi Chris, we're so sorry for the wait at the front desk today. Please send us a DM with your member ID so we can look into this. ^Helen"
	b.ReportAllocs()
	for b.Loop() {
		g.Check(text, model.VisibilityPublic)
	}
}

// FuzzCheck: whatever the reply, the guard's spans are inside it and
// say what they mark, and a suggestion, when there is one, goes.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"Hi Chris, we're sorry about your mother's stroke care at Austin Medical Center. ^Helen",
		"Your baby's delivery date of 8/21 is noted.",
		"Please DM us your member ID and date of birth.",
		"Hi 512-555-0199, your MRI is on the 3rd. -Becky",
		"@x 2/2 Free flu shots this Saturday! https://ex.org/a/123456789",
		"your your your mother's",
		"Sorry about the\u200b diab\u0435tes — your visit? ~Sam",
	} {
		f.Add(s)
	}
	g := New(analyze.New())
	f.Fuzz(func(t *testing.T, s string) {
		r := g.Check(s, model.VisibilityPublic)
		for _, rs := range r.Reasons {
			if rs.Start < 0 || rs.End > len(s) || rs.Start >= rs.End || s[rs.Start:rs.End] != rs.Phrase {
				t.Fatalf("bad reason %+v in %q", rs, s)
			}
		}
		for _, p := range r.PHI {
			if p.Start < 0 || p.End > len(s) || p.Start >= p.End {
				t.Fatalf("bad finding %+v in %q", p, s)
			}
		}
		if (r.Suggestion != "") != (len(r.PHI) > 0 || len(r.Warnings) > 0) {
			t.Fatalf("%q: suggestion %q for %+v", s, r.Suggestion, r)
		}
		if r.Suggestion != "" {
			if _, err := g.Vet(r.Suggestion, model.VisibilityPublic, ""); err != nil {
				t.Fatalf("%q: suggestion %q refused: %v", s, r.Suggestion, err)
			}
		}
	})
}

// TestFreshSets4 holds the guard's figures on the batches written for the
// fourth round (testdata/fresh4_*.jsonl). fresh4_j was measured before
// the guard was tuned on it (84.0% of must-refuse replies refused, 5.1%
// of ordinary ones refused), then tuned on; fresh4_k was written after
// the tuning and never tuned on (95.0% refused, 5.0% false refusals).
// Over both after the tuning: 96.3% refused, 2.5% false refusals.
func TestFreshSets4(t *testing.T) {
	g := New(analyze.New())
	var all []Example
	for _, b := range []string{"j", "k"} {
		for _, f := range []string{"pass", "refuse"} {
			all = append(all, readExamples(t, "testdata/fresh4_"+b+"_"+f+".jsonl")...)
		}
	}
	holdFigures(t, g, all, 115, 185, 0.03, 0.96)
	checkRefusals(t, g, all)
}

// TestFreshSets5 holds the guard's figures on the fifth round's set of
// the long tail (testdata/fresh5_l_*.jsonl: clinics named for a
// condition, care managers, program membership told by its length,
// Spanish member status, a relative's date of birth in words, claim and
// coverage details, and ordinary replies of the same shapes). Measured
// before the guard was tuned on it: 70.1% of must-refuse replies
// refused (108/154), 0.7% of ordinary ones (1/150). fresh5_m, of the
// same shapes in other words, was written after the tuning and never
// tuned on: 58.8% (50/85) and 2.4% (2/85) with the guard before the
// round, 80.0% (68/85) and 2.4% (2/85) after. fresh5_n holds the same
// shapes without greetings, written to probe the cues and then tuned
// on; one ordinary Spanish reply of it ("puede consultar su cobertura")
// is still refused.
func TestFreshSets5(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		batch              string
		minPass, minRefuse int
		maxFalse, minFound float64
	}{
		{"l", 150, 150, 0.01, 0.92},
		{"m", 85, 85, 0.025, 0.80},
		{"n", 15, 40, 0.07, 0.95},
	} {
		var set []Example
		for _, f := range []string{"pass", "refuse"} {
			set = append(set, readExamples(t, "testdata/fresh5_"+tc.batch+"_"+f+".jsonl")...)
		}
		holdFigures(t, g, set, tc.minPass, tc.minRefuse, tc.maxFalse, tc.minFound)
		checkRefusals(t, g, set)
	}
}
