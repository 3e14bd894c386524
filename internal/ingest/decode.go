package ingest

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"earshot/internal/model"
)

// Limits on what one mention may carry. Text beyond MaxTextBytes is cut
// at a character boundary; identifiers and links beyond theirs are
// refused, since a cut identifier would be a different one.
const (
	MaxTextBytes  = 32 << 10
	MaxIDBytes    = 256
	MaxURLBytes   = 4096
	MaxShortBytes = 512
)

// ratingWant is what a rating must be, for error messages.
const ratingWant = "a whole number from 1 to 5"

// FieldError says which field of a mention is wrong and why.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// MinCreatedAt is the earliest created_at a mention may have. Earshot
// hears social media, reviews, news and messages, none of which is
// older than the web; an earlier time is a placeholder or a mistake
// (0001-01-01T00:00:00Z is Go's and many libraries' zero time), which
// would sort before every real mention and skew reports.
var MinCreatedAt = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxClockSkew is how far past now a created_at may be. A platform's
// clock may run a little ahead of ours; a mention from further ahead
// has not been made yet, and its deadlines would fall beyond any that
// matter (or beyond what can be stored).
const MaxClockSkew = time.Hour

// Decode parses one mention from JSON and validates and normalises it,
// now being the current time (see Normalize). Keys match the contract's
// names exactly; unknown fields are ignored; a wrong type or a missing
// required field is a *FieldError naming the field.
func Decode(data []byte, now time.Time) (model.Mention, error) {
	var m model.Mention
	var created createdAt
	if err := readMention(data, &m, &created); err != nil {
		return model.Mention{}, err
	}
	switch {
	case created.bad:
		return m, &FieldError{"created_at", "must be an RFC 3339 time string"}
	case !created.set:
		return m, &FieldError{"created_at", "is required"}
	}
	t, err := parseTime(created.text)
	if err != nil {
		return m, &FieldError{"created_at", fmt.Sprintf("%q is not an RFC 3339 time (like 2026-01-06T19:27:00-06:00)", bound(created.text, 64))}
	}
	if err := checkCreatedAt(t, now); err != nil {
		return m, err
	}
	m.CreatedAt = t
	if err := Normalize(&m, now); err != nil {
		return m, err
	}
	return m, nil
}

// parseTime parses an RFC 3339 time. RFC 3339 lets the T between date
// and time and the Z of UTC be written in lower case (section 5.6, note),
// which time.Parse refuses; they are tried in upper case when the
// string as written does not parse.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil || len(s) < 11 || (s[10] != 't' && s[len(s)-1] != 'z') {
		return t, err
	}
	b := []byte(s)
	if b[10] == 't' {
		b[10] = 'T'
	}
	if b[len(b)-1] == 'z' {
		b[len(b)-1] = 'Z'
	}
	return time.Parse(time.RFC3339Nano, string(b))
}

// checkCreatedAt refuses a created_at before MinCreatedAt or more than
// MaxClockSkew after now.
func checkCreatedAt(t, now time.Time) error {
	if t.Before(MinCreatedAt) {
		return &FieldError{"created_at", fmt.Sprintf("%s is out of range: it must be %s or later",
			t.Format(time.RFC3339), MinCreatedAt.Format(time.DateOnly))}
	}
	if latest := now.Add(MaxClockSkew); t.After(latest) {
		return &FieldError{"created_at", fmt.Sprintf("%s is in the future: it must be no later than %s (%v past the server's clock)",
			t.Format(time.RFC3339), latest.UTC().Format(time.RFC3339), MaxClockSkew)}
	}
	return nil
}

// Normalize validates m against the mention contract and normalises it
// in place: text trimmed, NFC, valid UTF-8 without NUL, bounded; defaults
// for kind and direction; times in UTC. A created_at more than
// MaxClockSkew after now is refused.
func Normalize(m *model.Mention, now time.Time) error {
	m.Platform = strings.ToLower(strings.TrimSpace(m.Platform))
	switch {
	case m.Platform == "":
		return &FieldError{"platform", "is required"}
	case !slices.Contains(model.Platforms, m.Platform):
		return &FieldError{"platform", fmt.Sprintf("%q is not one of %s", bound(m.Platform, 32), strings.Join(model.Platforms, ", "))}
	}
	m.ExternalID = clean(m.ExternalID)
	switch {
	case m.ExternalID == "":
		return &FieldError{"external_id", "is required"}
	case len(m.ExternalID) > MaxIDBytes:
		return &FieldError{"external_id", fmt.Sprintf("is longer than %d bytes", MaxIDBytes)}
	}
	m.Author.ID, m.Author.Handle = clean(m.Author.ID), strings.TrimPrefix(clean(m.Author.Handle), "@")
	switch {
	case m.Author.ID == "" && m.Author.Handle == "":
		return &FieldError{"author", "needs a handle or an id"}
	case len(m.Author.ID) > MaxIDBytes:
		return &FieldError{"author.id", fmt.Sprintf("is longer than %d bytes", MaxIDBytes)}
	case len(m.Author.Handle) > MaxIDBytes:
		return &FieldError{"author.handle", fmt.Sprintf("is longer than %d bytes", MaxIDBytes)}
	}
	if m.CreatedAt.IsZero() {
		return &FieldError{"created_at", "is required"}
	}
	if err := checkCreatedAt(m.CreatedAt, now); err != nil {
		return err
	}
	m.CreatedAt = m.CreatedAt.UTC()
	if m.Kind == "" {
		m.Kind = model.KindPost
		if m.Rating != nil {
			m.Kind = model.KindReview
		}
	}
	switch m.Kind {
	case model.KindPost, model.KindComment, model.KindReview, model.KindDirectMessage:
	default:
		return &FieldError{"kind", fmt.Sprintf("%q is not post, comment, review or direct_message", bound(m.Kind, 32))}
	}
	if m.Direction == "" {
		m.Direction = model.DirectionInbound
	}
	if m.Direction != model.DirectionInbound && m.Direction != model.DirectionOutbound {
		return &FieldError{"direction", fmt.Sprintf("%q is not inbound or outbound", bound(m.Direction, 32))}
	}
	if m.Rating != nil && (*m.Rating < 1 || *m.Rating > 5) {
		return &FieldError{"rating", fmt.Sprintf("must be %s, not %d", ratingWant, *m.Rating)}
	}
	m.Text = cutUTF8(clean(m.Text), MaxTextBytes)
	if m.Text == "" && m.Rating == nil {
		return &FieldError{"text", "is required (it may be empty only for a rating-only review)"}
	}
	m.URL = clean(m.URL)
	if len(m.URL) > MaxURLBytes {
		return &FieldError{"url", fmt.Sprintf("is longer than %d bytes", MaxURLBytes)}
	}
	if m.URL != "" && !strings.HasPrefix(m.URL, "https://") && !strings.HasPrefix(m.URL, "http://") {
		return &FieldError{"url", "must be an http or https link"}
	}
	m.InReplyTo, m.ThreadID = clean(m.InReplyTo), clean(m.ThreadID)
	if len(m.InReplyTo) > MaxIDBytes {
		return &FieldError{"in_reply_to", fmt.Sprintf("is longer than %d bytes", MaxIDBytes)}
	}
	if len(m.ThreadID) > MaxIDBytes {
		return &FieldError{"thread_id", fmt.Sprintf("is longer than %d bytes", MaxIDBytes)}
	}
	m.Channel = cutUTF8(clean(m.Channel), MaxShortBytes)
	m.Place = cutUTF8(clean(m.Place), MaxShortBytes)
	m.Author.Name = cutUTF8(clean(m.Author.Name), MaxShortBytes)
	m.Author.Location = cutUTF8(clean(m.Author.Location), MaxShortBytes)
	m.Author.Followers, m.Author.Following, m.Author.Posts = max(0, m.Author.Followers), max(0, m.Author.Following), max(0, m.Author.Posts)
	m.Analysis, m.AnalysisJSON, m.ID, m.CaseID = nil, nil, 0, 0
	return nil
}

// clean makes s valid UTF-8 without NUL bytes, in NFC, trimmed.
func clean(s string) string {
	if s == "" {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.TrimSpace(norm.NFC.String(s))
}

// cutUTF8 shortens s to at most n bytes at a character boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func bound(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cutUTF8(s, n) + "…"
}
