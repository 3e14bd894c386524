package ingest

import (
	"errors"
	"fmt"

	"earshot/internal/model"
)

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
	r := &jsonReader{data: data}
	switch c := r.peek(); {
	case r.atEnd():
		return fmt.Errorf("%w: no mention in the input", errSyntax)
	case c == '{':
	default:
		// Check the syntax first: it outranks the kind of value.
		if err := r.skip(); err != nil {
			return err
		}
		if !r.atEnd() {
			return errors.New("trailing data after the mention object")
		}
		return fmt.Errorf("a mention must be a JSON object, not %s", kind(c))
	}
	err := r.object(func(k []byte) error {
		var n int64
		switch string(k) {
		case "platform":
			return r.stringField("platform", &m.Platform)
		case "channel":
			return r.stringField("channel", &m.Channel)
		case "external_id":
			return r.stringField("external_id", &m.ExternalID)
		case "kind":
			return r.stringField("kind", &m.Kind)
		case "direction":
			return r.stringField("direction", &m.Direction)
		case "text":
			return r.stringField("text", &m.Text)
		case "url":
			return r.stringField("url", &m.URL)
		case "in_reply_to":
			return r.stringField("in_reply_to", &m.InReplyTo)
		case "thread_id":
			return r.stringField("thread_id", &m.ThreadID)
		case "place":
			return r.stringField("place", &m.Place)
		case "created_at":
			if c := r.peek(); c != '"' && c != 'n' {
				*created = createdAt{bad: true}
				return r.skip()
			}
			*created = createdAt{set: r.peek() == '"'}
			return r.stringField("created_at", &created.text)
		case "rating":
			if r.peek() == 'n' {
				m.Rating = nil
				return r.literal("null")
			}
			ok, err := r.intField("rating", ratingWant, &n)
			if ok {
				v := int(n)
				m.Rating = &v
			}
			return err
		case "author":
			if c := r.peek(); c != '{' && c != 'n' {
				return r.wrongType("author", "an object")
			}
			return r.object(func(k []byte) error { return r.authorMember(k, &m.Author) })
		}
		// Unknown keys, those only Earshot sets (id, case_id, analysis,
		// received_at), and keys that match a field only when case is
		// ignored, are skipped.
		return r.skip()
	})
	if err != nil {
		return err
	}
	if !r.atEnd() {
		return errors.New("trailing data after the mention object")
	}
	return r.typeErr
}

func (r *jsonReader) authorMember(k []byte, a *model.Author) error {
	var err error
	switch string(k) {
	case "id":
		return r.stringField("author.id", &a.ID)
	case "handle":
		return r.stringField("author.handle", &a.Handle)
	case "name":
		return r.stringField("author.name", &a.Name)
	case "location":
		return r.stringField("author.location", &a.Location)
	case "followers":
		_, err = r.intField("author.followers", "a whole number", &a.Followers)
	case "following":
		_, err = r.intField("author.following", "a whole number", &a.Following)
	case "posts":
		_, err = r.intField("author.posts", "a whole number", &a.Posts)
	case "verified":
		return r.boolField("author.verified", &a.Verified)
	default:
		return r.skip()
	}
	return err
}
