package cases

import (
	"errors"
	"fmt"

	"earshot/internal/guard"
	"earshot/internal/model"
)

// Why the reply policy refuses a reply. The guard's codes
// (guard.RefusedPHI, guard.RefusedHidden, guard.RefusedPlaceholder,
// guard.RefusedRelationship) are refusals too, with Guard set, and so is
// RefusedCrisis (crisis.go).
const (
	// RefusedMissing: a required field (Field) is empty.
	RefusedMissing = "missing_field"
	// RefusedBadField: a field (Field) is too long, not UTF-8, holds a
	// NUL or is not one of the values it may take.
	RefusedBadField = "bad_field"
	// RefusedUnknownTemplate: the reply names a template that does not
	// exist (Err is the store's *store.FieldError).
	RefusedUnknownTemplate = "unknown_template"
	// RefusedColleagueReplied: someone else replied on the case since
	// the author read it (Replies are theirs), and the author did not
	// confirm sending anyway.
	RefusedColleagueReplied = "colleague_replied"
	// RefusedNoPrivateChannel: a private reply on a platform that has
	// no private channel (Google reviews); the agent calls or writes to
	// the reviewer instead.
	RefusedNoPrivateChannel = "no_private_channel"
)

// Refusal is why the reply policy will not let a reply go as it is. The
// web app and the API render it, each in its own words.
type Refusal struct {
	// Code is one of the Refused* codes of this package or of guard.
	Code string
	// Field names the field at fault, for RefusedMissing and
	// RefusedBadField.
	Field string
	// Message says what is wrong, in the API's words.
	Message string
	// Guard is the privacy guard's refusal, with what it found to mark
	// in the text, when the guard refused.
	Guard *guard.Refusal
	// Err is the underlying error, for RefusedUnknownTemplate.
	Err error
	// Replies are the colleagues' replies, for RefusedColleagueReplied.
	Replies []model.Reply
	// Crisis are the words that discuss the crisis, for RefusedCrisis.
	Crisis []CrisisPhrase
	// Suggestion is a reply that may go instead, for RefusedCrisis: the
	// crisis protocol's public reply ("" when the file has none).
	Suggestion string
}

func (r *Refusal) Error() string {
	if r.Guard != nil {
		return r.Guard.Error()
	}
	if r.Message != "" {
		return r.Message
	}
	return "reply refused: " + r.Code
}

// Unwrap returns the guard's refusal or the underlying error.
func (r *Refusal) Unwrap() error {
	if r.Guard != nil {
		return r.Guard
	}
	return r.Err
}

// Reasons says, for each span of the reply that refused it, which words
// and why, in an agent's words: the guard's reasons, or the words that
// discuss a crisis (kind "crisis"). Never nil for a refusal of the guard
// or of the crisis rule; nil for others.
func (r *Refusal) Reasons() []guard.Reason {
	switch {
	case r.Guard != nil:
		if r.Guard.Result.Reasons == nil {
			return []guard.Reason{}
		}
		return r.Guard.Result.Reasons
	case r.Code == RefusedCrisis:
		out := make([]guard.Reason, len(r.Crisis))
		for i, p := range r.Crisis {
			out[i] = guard.Reason{Kind: ReasonCrisis, Phrase: p.Phrase, Start: p.Start, End: p.End, Why: CrisisWhy}
		}
		return out
	}
	return nil
}

// Suggested is a reply that may go instead: the guard's rewrite without
// the health details, or the crisis protocol's public reply; "" when
// there is none.
func (r *Refusal) Suggested() string {
	if r.Guard != nil {
		return r.Guard.Result.Suggestion
	}
	return r.Suggestion
}

// AsRefusal returns err's *Refusal, or nil.
func AsRefusal(err error) *Refusal {
	var ref *Refusal
	if errors.As(err, &ref) {
		return ref
	}
	return nil
}

// ErrBadStatus is returned (wrapped) for a status an agent may not set.
var ErrBadStatus = errors.New("status must be open, pending, resolved or closed")

func badField(field, format string, args ...any) *Refusal {
	return &Refusal{Code: RefusedBadField, Field: field, Message: fmt.Sprintf(format, args...)}
}
