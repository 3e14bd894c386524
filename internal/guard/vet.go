package guard

import (
	"fmt"
	"strings"

	"earshot/internal/model"
)

// Why a reply may not go as it is. The API answers with these codes.
const (
	// RefusedPHI: a public reply carries health information.
	RefusedPHI = "phi_in_public_reply"
	// RefusedHidden: a public reply holds characters that change how it
	// is shown (bidirectional controls).
	RefusedHidden = "hidden_characters"
	// RefusedPlaceholder: a public reply has a template variable left
	// unfilled.
	RefusedPlaceholder = "unfilled_placeholder"
	// RefusedRelationship: a public reply confirms a patient or member
	// relationship and no override reason was given.
	RefusedRelationship = "relationship_in_public_reply"
)

// Refusal is why a reply may not go as it is.
type Refusal struct {
	// Code is one of the Refused* codes.
	Code string
	// Result is the guard's verdict, with the findings that refused it.
	Result Result
	// Placeholders are the unfilled template variables, for
	// RefusedPlaceholder.
	Placeholders []string
}

// Error says what is wrong and what to do, in the API's words.
func (e *Refusal) Error() string {
	switch e.Code {
	case RefusedPHI:
		return "a public reply must not contain protected health information; remove it or reply privately"
	case RefusedHidden:
		var at []string
		for _, h := range e.Result.Hidden {
			at = append(at, fmt.Sprintf("%s %s at byte %d", h.Char, h.Name, h.Start))
		}
		return "a public reply must not contain characters that change how it is shown (" + strings.Join(at, ", ") + "); remove them"
	case RefusedPlaceholder:
		return "a public reply must not contain unfilled template variables: " + strings.Join(e.Placeholders, ", ") + "; fill them in or remove them"
	case RefusedRelationship:
		return "a public reply must not confirm that the person is a patient or member; rephrase, reply privately, or give override_reason"
	}
	return "reply refused: " + e.Code
}

// Vet decides whether a reply may go: it returns the guard's verdict and
// nil, or a *Refusal. reason is the override reason given for a
// relationship warning ("" for none). Every door a reply passes calls
// it: the composer, the API, a supervisor's approval and, just before
// sending, the outbox (see VetStored), so that the rule cannot drift
// between them.
func (g *Guard) Vet(text string, visibility model.Visibility, reason string) (Result, error) {
	res := g.Check(text, visibility)
	switch {
	case len(res.Hidden) > 0:
		// First: what the guard read is not what the reader will see,
		// so its other findings cannot be trusted either way.
		return res, &Refusal{Code: RefusedHidden, Result: res}
	case len(res.PHI) > 0:
		return res, &Refusal{Code: RefusedPHI, Result: res}
	}
	if visibility == model.VisibilityPublic {
		// A template's variables ({first_name}, ...) are filled by
		// whoever writes the text; one left would go out as it is.
		if ph := Placeholders(Fold(text).Text); len(ph) > 0 {
			return res, &Refusal{Code: RefusedPlaceholder, Result: res, Placeholders: ph}
		}
	}
	if res.NeedsReason() && strings.TrimSpace(reason) == "" {
		return res, &Refusal{Code: RefusedRelationship, Result: res}
	}
	return res, nil
}

// VetStored judges a stored reply again as it leaves: when a supervisor
// approves it and, just before it is sent, in the outbox. A reply held
// or queued under an older guard, or written to the store by other
// means, is judged as a new one would be, its recorded override reason
// standing for the agent's.
func (g *Guard) VetStored(rp *model.Reply) error {
	_, err := g.Vet(rp.Text, rp.Visibility, rp.OverrideReason)
	return err
}
