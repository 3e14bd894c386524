package analyze

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestFindPHI(t *testing.T) {
	tests := []struct {
		text string
		want []string // "type:value"
	}{
		{"my member ID is XJH482913557, please look it up", []string{"member_id:XJH482913557"}},
		{"group number 0048213 on the back of the card", []string{"group_number:0048213"}},
		{"claim #88341207 was denied", []string{"claim_number:88341207"}},
		{"MRN 44120983 at City Hospital", []string{"medical_record_number:44120983"}},
		{"Here's my SSN: 460-89-9847", []string{"ssn:460-89-9847"}},
		{"card 4111 1111 1111 1111 was charged twice", []string{"card_number:4111 1111 1111 1111"}},
		{"call me at (512) 555-0199 or +1-512-555-0100", []string{"phone:(512) 555-0199", "phone:+1-512-555-0100"}},
		{"email jane.doe@example.com please", []string{"email:jane.doe@example.com"}},
		{"DOB 04/12/1986, seen on March 3, 2021", []string{"date:04/12/1986", "date:March 3, 2021"}},
		{"I live at 1200 Oak Street Apt 4, Austin, TX 78701", []string{"address:1200 Oak Street Apt 4, Austin, TX 78701"}},
		{"My name is Dana Whitfield and Dr. Patel treated me", []string{"name:Dana Whitfield", "name:Patel"}},
		{"my son has asthma and takes albuterol, needs an MRI", []string{"condition:asthma", "medication:albuterol", "procedure:MRI"}},
		{"she has type 2 diabetes and high blood pressure", []string{"condition:type 2 diabetes", "condition:high blood pressure"}},
		{"thanks for the great service today", nil},
		{"flight 2345 was fine, rated 4.5 out of 5", nil},
		{"Zoë Ångström wrote from zoe@exämple.de", []string{"name:Zoë Ångström"}},
		// Names in lower case, after a cue.
		{"my daughter emma has a fever again", []string{"name:emma"}},
		{"please follow up with patricia desrosiers about my claim", []string{"name:patricia desrosiers"}},
		{"spoke to benjamin a. okafor in billing", []string{"name:benjamin a. okafor"}},
		{"nurse maria and dr. james okafor were kind", []string{"name:maria", "name:james okafor"}},
		{"i spoke to will in billing and talked with grace", nil},
		{"waited for 45 min with austin energy", nil},
		{"thanks emma", nil},
		{"my son has a fever", nil},
		// A name before an address, and an address after a name.
		{"Mrs. Barbara Yudina Apt. 675", []string{"name:Barbara Yudina", "address:Apt. 675"}},
		{"Billing address: Sara Schwarz 28245 Puruntie 12", []string{"name:Sara Schwarz", "address:28245 Puruntie 12"}},
		{"we met on John Street yesterday", nil},
		// A Spanish greeting is no name; the name after it is.
		{"Hola, lamentamos mucho lo ocurrido.", nil},
		{"Buenas tardes, gracias por escribirnos.", nil},
		{"Hola Marta, gracias por escribirnos.", []string{"name:Marta"}},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, f := range a.FindPHI(tt.text) {
				got = append(got, fmt.Sprintf("%s:%s", f.Type, tt.text[f.Start:f.End]))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		n    string
		want bool
	}{{"4111111111111111", true}, {"4111111111111112", false}, {"79927398713", true}, {"0", true}}
	for _, tt := range tests {
		if got := luhn(tt.n, 0, len(tt.n)); got != tt.want {
			t.Errorf("luhn(%s) = %v", tt.n, got)
		}
	}
}

func TestEvaluatePHI(t *testing.T) {
	exs := []PHIExample{
		{Text: "call 555-123-4567 now", Spans: []GoldSpan{{Type: "PHONE_NUMBER", Start: 5, End: 17}}},
		{Text: "Bob Stone lives here", Spans: []GoldSpan{{Type: "PERSON", Start: 0, End: 9}, {Type: "GPE", Start: 16, End: 20}}},
	}
	rep := EvaluatePHI(exs, func(text string) []model.PHIFinding {
		if strings.HasPrefix(text, "call") {
			return []model.PHIFinding{{Type: PHIPhone, Start: 5, End: 12}, {Type: PHIEmail, Start: 0, End: 4}}
		}
		return []model.PHIFinding{{Type: PHIName, Start: 16, End: 20}}
	})
	got := map[string]PHITypeScore{}
	for _, s := range rep.Types {
		got[s.Type] = s
	}
	if s := got[PHIPhone]; s.Recall != 1 || s.Precision != 1 || s.ExactRecall != 0 {
		t.Errorf("phone %+v", s)
	}
	if s := got[PHIName]; s.Recall != 0 || s.Precision != 0 || s.Predicted != 1 {
		t.Errorf("name %+v", s)
	}
	if rep.Unscored[PHIEmail] != 1 {
		t.Errorf("unscored %v", rep.Unscored)
	}
	if rep.Overall.Gold != 2 || rep.Overall.Predicted != 2 {
		t.Errorf("overall %+v", rep.Overall)
	}
}

// TestIDTypeForTakesTheLastKeyword compares idTypeFor with its
// definition: the keyword found last in the context wins, the one listed
// first on a tie.
func TestIDTypeForTakesTheLastKeyword(t *testing.T) {
	ids := &stdLexicons().numbers.ids
	idTypeFor := ids.typeFor
	idKeywords := ids.list
	want := func(ctx []byte) string {
		best, at := "", -1
		for _, k := range idKeywords {
			if i := bytes.LastIndex(ctx, []byte(k.word)); i > at {
				best, at = k.typ, i
			}
		}
		return best
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{" ", "my ", "the ", "#", ": ", "is ", "x", "number "}
	for _, k := range idKeywords {
		pieces = append(pieces, k.word, k.word+" ")
	}
	for n := 0; n < 20000; n++ {
		var b []byte
		for len(b) < 32 {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		b = b[len(b)-32:]
		if got, w := idTypeFor(b), want(b); got != w {
			t.Fatalf("idTypeFor(%q) = %q, want %q", b, got, w)
		}
	}
	if got := idTypeFor([]byte("no keyword here")); got != "" {
		t.Errorf("idTypeFor without a keyword = %q", got)
	}
}
