package ingest

import (
	"errors"
	"fmt"

	"earshot/internal/jsonexact"
	"earshot/internal/model"
)

// A mention is decoded in one pass over its bytes by readMention on
// jsonexact's Reader; encoding/json scanned each mention three times and
// reflected over every field, and was the largest cost of preparing a
// mention. It keeps encoding/json's rules but one: keys match exactly
// (encoding/json also matches them case-insensitively, which let an
// unknown "Direction" change a mention), the last of repeated keys wins
// (objects merge), unknown keys are skipped, null leaves a field as it
// is, invalid UTF-8 in strings becomes U+FFFD, and a syntax error
// anywhere outranks a field of the wrong type.

// createdAt is what a mention's created_at held.
type createdAt struct {
	text string
	set  bool // a string was given
	bad  bool // a value other than a string or null was given
}

// readMention decodes one mention object from data into m. Keys match
// the contract's field names exactly: a key that differs only in case
// ("Text", "PLATFORM") is an unknown field, and unknown fields are
// ignored.
func readMention(data []byte, m *model.Mention, created *createdAt) error {
	r := jsonexact.NewReader(data)
	switch c := r.Peek(); {
	case r.AtEnd():
		return fmt.Errorf("%w: no mention in the input", jsonexact.ErrSyntax)
	case c == '{':
	default:
		// Check the syntax first: it outranks the kind of value.
		if err := r.Skip(); err != nil {
			return err
		}
		if !r.AtEnd() {
			return errors.New("trailing data after the mention object")
		}
		return fmt.Errorf("a mention must be a JSON object, not %s", jsonexact.Kind(c))
	}
	err := r.Object(func(k []byte) error {
		var n int64
		switch string(k) {
		case "platform":
			return r.StringField("platform", &m.Platform)
		case "channel":
			return r.StringField("channel", &m.Channel)
		case "external_id":
			return r.StringField("external_id", &m.ExternalID)
		case "kind":
			return r.StringField("kind", &m.Kind)
		case "direction":
			return r.StringField("direction", &m.Direction)
		case "text":
			return r.StringField("text", &m.Text)
		case "url":
			return r.StringField("url", &m.URL)
		case "in_reply_to":
			return r.StringField("in_reply_to", &m.InReplyTo)
		case "thread_id":
			return r.StringField("thread_id", &m.ThreadID)
		case "place":
			return r.StringField("place", &m.Place)
		case "created_at":
			if c := r.Peek(); c != '"' && c != 'n' {
				*created = createdAt{bad: true}
				return r.Skip()
			}
			*created = createdAt{set: r.Peek() == '"'}
			return r.StringField("created_at", &created.text)
		case "rating":
			if r.Peek() == 'n' {
				m.Rating = nil
				return r.Literal("null")
			}
			ok, err := r.IntField("rating", ratingWant, &n)
			if ok {
				v := int(n)
				m.Rating = &v
			}
			return err
		case "author":
			if c := r.Peek(); c != '{' && c != 'n' {
				return r.WrongType("author", "an object")
			}
			return r.Object(func(k []byte) error { return authorMember(r, k, &m.Author) })
		}
		// Unknown keys, those only Earshot sets (id, case_id, analysis,
		// received_at), and keys that match a field only when case is
		// ignored, are skipped.
		return r.Skip()
	})
	if err != nil {
		return err
	}
	if !r.AtEnd() {
		return errors.New("trailing data after the mention object")
	}
	if te := r.TypeErr(); te != nil {
		return &FieldError{te.Field, te.Reason}
	}
	return nil
}

// authorMember reads the author's member k into a.
func authorMember(r *jsonexact.Reader, k []byte, a *model.Author) error {
	var err error
	switch string(k) {
	case "id":
		return r.StringField("author.id", &a.ID)
	case "handle":
		return r.StringField("author.handle", &a.Handle)
	case "name":
		return r.StringField("author.name", &a.Name)
	case "location":
		return r.StringField("author.location", &a.Location)
	case "followers":
		_, err = r.IntField("author.followers", "a whole number", &a.Followers)
	case "following":
		_, err = r.IntField("author.following", "a whole number", &a.Following)
	case "posts":
		_, err = r.IntField("author.posts", "a whole number", &a.Posts)
	case "verified":
		return r.BoolField("author.verified", &a.Verified)
	default:
		return r.Skip()
	}
	return err
}
