package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"earshot/internal/model"
)

// testNow is the clock of tests that decode or ingest without one of
// their own: later than their mentions, which may be no later than an
// hour past it.
func testNow() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }

const validMention = `{"platform":"x","channel":"bcbstx","external_id":"1234567890","kind":"post","direction":"inbound",
"text":"Just got my BCBSTX insurance card. It's confusing and I can't afford it. #mistake #swindled #PPO",
"url":"https://x.com/upset_member/status/1234567890","created_at":"2011-01-06T19:27:00-06:00","in_reply_to":"","thread_id":"",
"rating":null,"author":{"id":"998","handle":"upset_member","name":"","followers":66,"following":38,"posts":1776,"verified":false,"location":"Dallas, TX"},
"place":"","some_future_field":{"a":1}}`

func TestDecodeContractExample(t *testing.T) {
	m, err := Decode([]byte(validMention), testNow())
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if m.Platform != "x" || m.ExternalID != "1234567890" || m.Author.Followers != 66 || m.Author.Handle != "upset_member" {
		t.Fatalf("decoded wrong: %+v", m)
	}
	want := time.Date(2011, 1, 7, 1, 27, 0, 0, time.UTC)
	if !m.CreatedAt.Equal(want) || m.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at = %v, want %v in UTC", m.CreatedAt, want)
	}
}

func TestDecodeErrorsNameTheField(t *testing.T) {
	for _, tc := range []struct {
		name, json, field string
	}{
		{"missing platform", `{"external_id":"1","text":"hi","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "platform"},
		{"unknown platform", `{"platform":"myspace","external_id":"1","text":"hi","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "platform"},
		{"missing external id", `{"platform":"x","text":"hi","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "external_id"},
		{"missing text", `{"platform":"x","external_id":"1","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "text"},
		{"missing created_at", `{"platform":"x","external_id":"1","text":"hi","author":{"handle":"a"}}`, "created_at"},
		{"bad created_at", `{"platform":"x","external_id":"1","text":"hi","created_at":"yesterday","author":{"handle":"a"}}`, "created_at"},
		{"created_at in the far future", `{"platform":"x","external_id":"1","text":"hi","created_at":"9999-12-31T23:59:59Z","author":{"handle":"a"}}`, "created_at"},
		{"numeric created_at", `{"platform":"x","external_id":"1","text":"hi","created_at":12,"author":{"handle":"a"}}`, "created_at"},
		{"no author", `{"platform":"x","external_id":"1","text":"hi","created_at":"2026-01-01T00:00:00Z"}`, "author"},
		{"followers as string", `{"platform":"x","external_id":"1","text":"hi","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a","followers":"many"}}`, "author.followers"},
		{"rating out of range", `{"platform":"yelp","external_id":"1","text":"hi","rating":9,"created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "rating"},
		{"rating as string", `{"platform":"yelp","external_id":"1","text":"hi","rating":"five","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "rating"},
		{"bad kind", `{"platform":"x","external_id":"1","text":"hi","kind":"tweet","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "kind"},
		{"bad direction", `{"platform":"x","external_id":"1","text":"hi","direction":"sideways","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "direction"},
		{"javascript url", `{"platform":"x","external_id":"1","text":"hi","url":"javascript:alert(1)","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "url"},
		{"text as number", `{"platform":"x","external_id":"1","text":5,"created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "text"},
		{"long external id", `{"platform":"x","external_id":"` + strings.Repeat("9", 300) + `","text":"hi","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}`, "external_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.json), testNow())
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Decode error = %v, want a FieldError", err)
			}
			if fe.Field != tc.field {
				t.Fatalf("error names field %q (%v), want %q", fe.Field, err, tc.field)
			}
		})
	}
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	for _, in := range []string{``, `[]`, `"text"`, `{"platform":`, `{} {}`} {
		if _, err := Decode([]byte(in), testNow()); err == nil {
			t.Errorf("Decode(%q) accepted", in)
		}
	}
}

func TestNormalize(t *testing.T) {
	five := 5
	m := model.Mention{
		Platform: " Yelp ", ExternalID: " r1 ", Text: "  Cafe\u0301 was great\x00  ", Rating: &five,
		CreatedAt: time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("CST", -6*3600)),
		Author:    model.Author{Handle: "@someone", Followers: -3},
	}
	if err := Normalize(&m, testNow()); err != nil {
		t.Fatal(err)
	}
	if m.Platform != "yelp" || m.ExternalID != "r1" || m.Kind != model.KindReview || m.Direction != model.DirectionInbound {
		t.Fatalf("defaults wrong: %+v", m)
	}
	if m.Text != "Café was great" {
		t.Fatalf("text = %q, want NFC, trimmed, no NUL", m.Text)
	}
	if m.Author.Handle != "someone" || m.Author.Followers != 0 {
		t.Fatalf("author = %+v", m.Author)
	}
	if m.CreatedAt.Location() != time.UTC || m.CreatedAt.Hour() != 18 {
		t.Fatalf("created_at = %v, want 18:00 UTC", m.CreatedAt)
	}

	rating := model.Mention{Platform: "google", ExternalID: "g1", Rating: &five, CreatedAt: testNow(), Author: model.Author{ID: "7"}}
	if err := Normalize(&rating, testNow()); err != nil {
		t.Fatalf("rating-only review refused: %v", err)
	}

	long := model.Mention{Platform: "x", ExternalID: "1", Text: strings.Repeat("é", MaxTextBytes), CreatedAt: testNow(), Author: model.Author{ID: "7"}}
	if err := Normalize(&long, testNow()); err != nil {
		t.Fatal(err)
	}
	if len(long.Text) > MaxTextBytes || !utf8.ValidString(long.Text) {
		t.Fatalf("long text cut to %d bytes, valid %v", len(long.Text), utf8.ValidString(long.Text))
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(validMention))
	f.Add([]byte(`{"platform":"yelp","external_id":"1","rating":3,"created_at":"2026-01-01T00:00:00Z","author":{"id":"a"}}`))
	f.Add([]byte(`{"platform":"x","external_id":"\u0000","text":"\xff\xfe","created_at":"2026-01-01T00:00:00Z","author":{"handle":"@"}}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"platform":"x","external_id":"1","text":"t","rating":4.5,"created_at":"2026-01-05t10:00:00z","author":{"id":"a"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data, testNow())
		if err != nil {
			return
		}
		for name, s := range map[string]string{"text": m.Text, "external_id": m.ExternalID, "platform": m.Platform, "handle": m.Author.Handle} {
			if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				t.Fatalf("%s %q not clean UTF-8", name, s)
			}
		}
		if m.ExternalID == "" || (m.Author.ID == "" && m.Author.Handle == "") || m.CreatedAt.Before(MinCreatedAt) ||
			m.CreatedAt.After(testNow().Add(MaxClockSkew)) {
			t.Fatalf("accepted mention lacks required fields: %+v", m)
		}
		if len(m.Text) > MaxTextBytes || len(m.ExternalID) > MaxIDBytes {
			t.Fatalf("accepted mention over limits")
		}
		// A normalised mention is a fixed point.
		again := m
		if err := Normalize(&again, testNow()); err != nil || again.Text != m.Text || again.ExternalID != m.ExternalID {
			t.Fatalf("normalising twice changed the mention: %v", err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(validMention)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data, testNow()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDecodeMatchesKeysExactly(t *testing.T) {
	const base = `"platform":"web","external_id":"t","created_at":"2026-01-05T10:00:00Z","author":{"handle":"a"}`
	for _, tc := range []struct {
		name, json string
		check      func(m model.Mention) bool
	}{
		{"Direction is unknown", `{` + base + `,"text":"real text","Direction":"outbound"}`,
			func(m model.Mention) bool { return m.Direction == model.DirectionInbound }},
		{"Text does not replace text", `{` + base + `,"text":"real text","Text":"CAPS key"}`,
			func(m model.Mention) bool { return m.Text == "real text" }},
		{"Text before text", `{"Text":"CAPS key",` + base + `,"text":"real text"}`,
			func(m model.Mention) bool { return m.Text == "real text" }},
		{"author keys", `{` + base + `,"text":"t","author":{"handle":"a","Handle":"b","FOLLOWERS":5,"Verified":true}}`,
			func(m model.Mention) bool {
				return m.Author.Handle == "a" && m.Author.Followers == 0 && !m.Author.Verified
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.json), testNow())
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !tc.check(m) {
				t.Fatalf("a key that differs only in case changed the mention: %+v", m)
			}
		})
	}
	_, err := Decode([]byte(`{"PLATFORM":"web","EXTERNAL_ID":"t","TEXT":"x","CREATED_AT":"2026-01-05T10:00:00Z","AUTHOR":{"HANDLE":"a"}}`), testNow())
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Reason != "is required" {
		t.Fatalf("all-caps body: error %v, want a required field missing", err)
	}
}

func TestDecodeMessages(t *testing.T) {
	const base = `"platform":"google","external_id":"g1","text":"t","author":{"id":"7"}`
	const at = `,"created_at":"2026-01-05T10:00:00Z"`
	for _, tc := range []struct {
		name, json, want string // want "" is accepted
	}{
		{"lower-case t and z", `{` + base + `,"created_at":"2026-01-05t10:00:00z"}`, ""},
		{"lower-case t with offset", `{` + base + `,"created_at":"2026-01-05t04:00:00-06:00"}`, ""},
		{"lower-case z", `{` + base + `,"created_at":"2026-01-05T10:00:00.000z"}`, ""},
		{"lower-case elsewhere", `{` + base + `,"created_at":"2026-01-05x10:00:00z"}`,
			`created_at: "2026-01-05x10:00:00z" is not an RFC 3339 time (like 2026-01-06T19:27:00-06:00)`},
		{"zero time", `{` + base + `,"created_at":"0001-01-01T00:00:00Z"}`,
			"created_at: 0001-01-01T00:00:00Z is out of range: it must be 1990-01-01 or later"},
		{"before 1990", `{` + base + `,"created_at":"1990-01-01T00:59:59+01:00"}`,
			"created_at: 1990-01-01T00:59:59+01:00 is out of range: it must be 1990-01-01 or later"},
		{"first moment of 1990", `{` + base + `,"created_at":"1990-01-01T00:00:00Z"}`, ""},
		{"clock skew allowed", `{` + base + `,"created_at":"2026-12-01T13:00:00Z"}`, ""},
		{"beyond the clock skew", `{` + base + `,"created_at":"2026-12-01T08:00:01-05:00"}`,
			"created_at: 2026-12-01T08:00:01-05:00 is in the future: it must be no later than 2026-12-01T13:00:00Z (1h0m0s past the server's clock)"},
		{"last moment of 9999", `{` + base + `,"created_at":"9999-12-31T23:59:59Z"}`,
			"created_at: 9999-12-31T23:59:59Z is in the future: it must be no later than 2026-12-01T13:00:00Z (1h0m0s past the server's clock)"},
		{"null", `null`, "a mention must be a JSON object, not null"},
		{"fractional rating", `{` + base + at + `,"rating":4.5}`, "rating: must be a whole number from 1 to 5, not 4.5"},
		{"exponent rating", `{` + base + at + `,"rating":5e0}`, "rating: must be a whole number from 1 to 5, not 5e0"},
		{"string rating", `{` + base + at + `,"rating":"5"}`, "rating: must be a whole number from 1 to 5, not string"},
		{"rating out of range", `{` + base + at + `,"rating":6}`, "rating: must be a whole number from 1 to 5, not 6"},
		{"fractional followers", `{` + base + at + `,"author":{"id":"7","followers":1.5}}`, "author.followers: must be a whole number, not 1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.json), testNow())
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Decode: %v", err)
			case tc.want == "" && !m.CreatedAt.Equal(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)) && m.CreatedAt.Year() != 1990 &&
				!m.CreatedAt.Equal(testNow().Add(MaxClockSkew)):
				t.Fatalf("created_at = %v", m.CreatedAt)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Fatalf("Decode error = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestNormalizeRefusesTimesBefore1990(t *testing.T) {
	m := model.Mention{Platform: "x", ExternalID: "1", Text: "hi", CreatedAt: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), Author: model.Author{ID: "7"}}
	var fe *FieldError
	if err := Normalize(&m, testNow()); !errors.As(err, &fe) || fe.Field != "created_at" || !strings.Contains(fe.Reason, "out of range") {
		t.Fatalf("Normalize error = %v, want created_at out of range", err)
	}
}

func TestNormalizeRefusesTimesPastTheClockSkew(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{testNow(), true},
		{testNow().Add(MaxClockSkew), true},
		{testNow().Add(MaxClockSkew + time.Nanosecond), false},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), false},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		m := model.Mention{Platform: "x", ExternalID: "1", Text: "hi", CreatedAt: tc.at, Author: model.Author{ID: "7"}}
		err := Normalize(&m, testNow())
		var fe *FieldError
		switch {
		case tc.want && err != nil:
			t.Errorf("created_at %v refused: %v", tc.at, err)
		case !tc.want && (!errors.As(err, &fe) || fe.Field != "created_at" || !strings.Contains(fe.Reason, "in the future")):
			t.Errorf("created_at %v: error %v, want created_at in the future", tc.at, err)
		}
	}
}
