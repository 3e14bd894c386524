package guard

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// TestVet: one decision for every door, in order: hidden characters,
// health information, unfilled template variables, then relationship
// words without a reason. Private replies go.
func TestVet(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		text         string
		visibility   model.Visibility
		reason       string
		code         string // "" when the reply may go
		placeholders []string
	}{
		{"We're sorry. Please DM us.", model.VisibilityPublic, "", "", nil},
		{"Member ID XJH\u200b123456789 is fixed.", model.VisibilityPublic, "", RefusedPHI, nil},
		{"Member ID XJH\u200b123456789 is fixed.", model.VisibilityPrivate, "", "", nil},
		{"Call \u202e9910-555-215\u202c, member ID XJH123456789.", model.VisibilityPublic, "", RefusedHidden, nil},
		{"Call \u202e9910-555-215\u202c.", model.VisibilityPrivate, "", "", nil},
		{"Hi {first\u200b_name}, please DM us.", model.VisibilityPublic, "", RefusedPlaceholder, []string{"{first_name}"}},
		{"Hi {first_name}, here are the details.", model.VisibilityPrivate, "", "", nil},
		{"Sorry about your vіsit.", model.VisibilityPublic, "", RefusedRelationship, nil},
		{"Sorry about your vіsit.", model.VisibilityPublic, "  ", RefusedRelationship, nil},
		{"Sorry about your vіsit.", model.VisibilityPublic, "they said so in public", "", nil},
		{"Hi {first_name}: your diаbetes", model.VisibilityPublic, "reason", RefusedPHI, nil},
	} {
		_, err := g.Vet(tc.text, tc.visibility, tc.reason)
		var ref *Refusal
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%q (%s): refused: %v", tc.text, tc.visibility, err)
		case tc.code == "":
		case !errors.As(err, &ref) || ref.Code != tc.code:
			t.Errorf("%q (%s): %v, want %s", tc.text, tc.visibility, err, tc.code)
		case !slices.Equal(ref.Placeholders, tc.placeholders):
			t.Errorf("%q: placeholders %q, want %q", tc.text, ref.Placeholders, tc.placeholders)
		case tc.code == RefusedHidden && !strings.Contains(err.Error(), "U+202E right-to-left override at byte 5"):
			t.Errorf("%q: message %q does not name the character and its place", tc.text, err)
		}
	}
}

// TestVetStored: a stored reply is judged as a new one, its recorded
// override reason standing for the agent's.
func TestVetStored(t *testing.T) {
	g := New(analyze.New())
	warned := &model.Reply{Text: "Sorry about your visit.", Visibility: model.VisibilityPublic, OverrideReason: "asked in public"}
	if err := g.VetStored(warned); err != nil {
		t.Errorf("overridden reply refused: %v", err)
	}
	warned.OverrideReason = ""
	disguised := &model.Reply{Text: "Your claim &#56;&#56;&#52;422119 is paid.", Visibility: model.VisibilityPublic, OverrideReason: "x"}
	for _, rp := range []*model.Reply{warned, disguised} {
		if err := g.VetStored(rp); err == nil {
			t.Errorf("%q went", rp.Text)
		}
	}
}
