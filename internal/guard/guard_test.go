package guard

import (
	"slices"
	"testing"
	"unicode/utf8"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

func TestRelationship(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"We're sorry to hear that. Please send us a DM so we can help.", nil},
		{"Sorry about your visit last week.", []string{"your visit"}},
		{"Your claim for the ER visit has been reprocessed.", []string{"Your claim"}},
		// A claim, a plan or a bill is health membership only beside a
		// place of care: airlines and shops have claims too.
		{"Your claim for the damaged bag has been reprocessed.", nil},
		{"Your plan includes unlimited data.", nil},
		{"We're sorry about your visit to our Main St store.", nil},
		{"We hope your mother's stroke care at Austin Medical Center went well.", []string{"your mother's stroke care at Austin Medical Center"}},
		{"Your baby's delivery date of 8/21 is noted.", []string{"Your baby's delivery"}},
		{"We hope your recent surgery went well and your prescription is ready", []string{"your recent surgery", "your prescription"}},
		// "Ask your doctor" is general advice, not a relationship.
		{"Please ask YOUR DOCTOR's office", nil},
		{"We hope YOUR STAY with us was restful", []string{"YOUR STAY"}},
		{"As our patient you deserve better", []string{"As our patient"}},
		{"your upcoming follow-up appointment", []string{"your upcoming follow-up appointment"}},
		{"Thank you for your feedback and your patience", nil},
		{"your", nil},
		{"Sorry — your “visit”", []string{"your “visit"}},
	} {
		got := Relationship(tc.text)
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
			continue
		}
		for i, w := range got {
			if w.Phrase != tc.want[i] || tc.text[w.Start:w.End] != w.Phrase {
				t.Errorf("%q: warning %d = %+v, want %q", tc.text, i, w, tc.want[i])
			}
		}
	}
}

func TestCheck(t *testing.T) {
	g := New(analyze.New())
	phi := "Hi Gil, we found member ID XJH123456789 and will fix it."
	r := g.Check(phi, model.VisibilityPublic)
	if !r.Blocked || len(r.PHI) == 0 {
		t.Fatalf("PHI in public not blocked: %+v", r)
	}
	if span := phi[r.PHI[0].Start:r.PHI[0].End]; span == "" {
		t.Fatal("empty PHI span")
	}
	if r := g.Check(phi, model.VisibilityPrivate); r.Blocked || len(r.Warnings) > 0 {
		t.Fatalf("private reply judged: %+v", r)
	}
	r = g.Check("So sorry about your visit. Please DM us.", model.VisibilityPublic)
	if r.Blocked || !r.NeedsReason() {
		t.Fatalf("relationship words: %+v", r)
	}
	r = g.Check("We're sorry to hear this. Please send us a DM.", model.VisibilityPublic)
	if r.Blocked || r.NeedsReason() {
		t.Fatalf("safe reply: %+v", r)
	}
	// Findings outside the text are ignored rather than trusted.
	if r := Check("short", model.VisibilityPublic, []model.PHIFinding{{Type: "x", Start: 2, End: 99}}); r.Blocked {
		t.Fatalf("out-of-range finding blocked: %+v", r)
	}
}

// TestCheckLookalikes: a public reply whose number is written with
// Unicode look-alikes (dashes, full-width digits, no-break spaces) is
// blocked as its ASCII form is, and the finding covers the whole number.
func TestCheckLookalikes(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		text, typ, span string
	}{
		{"Please call us back at 512-555-0199.", analyze.PHIPhone, "512-555-0199"},
		{"Please call us back at 512\u2013555\u20130199.", analyze.PHIPhone, "512\u2013555\u20130199"},
		{"Please call us back at 512\u2014555\u20140199.", analyze.PHIPhone, "512\u2014555\u20140199"},
		{"Please call us back at 512\u2212555\u22120199.", analyze.PHIPhone, "512\u2212555\u22120199"},
		{"Please call us back at ５１２-５５５-０１９９.", analyze.PHIPhone, "５１２-５５５-０１９９"},
		{"Please call us back at 512\u00a0555\u00a00199.", analyze.PHIPhone, "512\u00a0555\u00a00199"},
		{"We updated member id ABC\u2011123\u2011456\u2011789 today.", analyze.PHIMemberID, "ABC\u2011123\u2011456\u2011789"},
		{"The charge on card 4111\u20131111\u20131111\u20131111 is reversed.", analyze.PHICardNumber, "4111\u20131111\u20131111\u20131111"},
	} {
		r := g.Check(tc.text, model.VisibilityPublic)
		if !r.Blocked || len(r.PHI) != 1 {
			t.Errorf("%q: not blocked with one finding: %+v", tc.text, r)
			continue
		}
		if f := r.PHI[0]; f.Type != tc.typ || tc.text[f.Start:f.End] != tc.span {
			t.Errorf("%q: finding %+v = %q, want %s %q", tc.text, f, tc.text[f.Start:f.End], tc.typ, tc.span)
		}
		if r := g.Check(tc.text, model.VisibilityPrivate); r.Blocked {
			t.Errorf("%q: private reply blocked", tc.text)
		}
	}
}

func FuzzRelationship(f *testing.F) {
	for _, s := range []string{"your visit", "As our patient", "your  recent\tclaim", "yourvisit", "你的 your 手术 surgery", "'your' -visit-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Relationship(s) {
			if w.Start < 0 || w.End > len(s) || w.Start >= w.End || s[w.Start:w.End] != w.Phrase {
				t.Fatalf("bad span %+v in %q", w, s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(w.Phrase) {
				t.Fatalf("span %+v splits a character in %q", w, s)
			}
		}
	})
}

func TestNeedsApproval(t *testing.T) {
	urgent := &model.Case{Priority: model.PriorityUrgent}
	calm := &model.Case{Priority: model.PriorityNormal, Urgency: model.UrgencyNormal}
	critical := &model.Case{Priority: model.PriorityHigh, Urgency: model.UrgencyCritical}
	for _, tc := range []struct {
		on         bool
		vis        model.Visibility
		overridden bool
		c          *model.Case
		want       bool
	}{
		{false, model.VisibilityPublic, true, urgent, false},
		{true, model.VisibilityPrivate, true, urgent, false},
		{true, model.VisibilityPublic, false, calm, false},
		{true, model.VisibilityPublic, true, calm, true},
		{true, model.VisibilityPublic, false, urgent, true},
		{true, model.VisibilityPublic, false, critical, true},
	} {
		if got := NeedsApproval(tc.on, tc.vis, tc.overridden, tc.c); got != tc.want {
			t.Errorf("NeedsApproval(%v, %s, %v, %+v) = %v", tc.on, tc.vis, tc.overridden, tc.c, got)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Hi Ann, please send us a DM.", nil},
		{"Hi {first_name}, please DM us at {dm_link}.", []string{"{first_name}", "{dm_link}"}},
		{"{handle} {handle} {Phone2}", []string{"{handle}", "{Phone2}"}},
		{"{first_name", nil},
		{"braces { alone } and {} and {1st} and {_x} and {a-b}", nil},
		{"{{first_name}}", []string{"{first_name}"}},
		{"a JSON-ish {\"k\": 1} is no placeholder", nil},
		{"ends with {", nil},
		{"Hola {nombre}, ¿{ciudad}?", []string{"{nombre}", "{ciudad}"}},
	} {
		got := Placeholders(tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Placeholders(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
