package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/jsonexact"
	"earshot/internal/model"
)

// decodeStd is the decoder that Decode's one-pass reader replaced, on
// encoding/json: the reference the reader is held to. Keys that name a
// field only when case is ignored are removed first (exactKeys), since
// encoding/json would match them.
func decodeStd(data []byte, now time.Time) (model.Mention, error) {
	if string(bytes.TrimSpace(data)) == "null" {
		return model.Mention{}, errors.New("a mention must be a JSON object, not null")
	}
	data = exactKeys(data)
	var w struct {
		model.Mention
		CreatedAt json.RawMessage `json:"created_at"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return model.Mention{}, &FieldError{strings.TrimPrefix(te.Field, "Mention."), te.Value}
		}
		return model.Mention{}, err
	}
	if dec.More() {
		return model.Mention{}, errors.New("trailing data after the mention object")
	}
	m := w.Mention
	if len(w.CreatedAt) == 0 || string(w.CreatedAt) == "null" {
		return m, &FieldError{"created_at", "is required"}
	}
	var ts string
	if err := json.Unmarshal(w.CreatedAt, &ts); err != nil {
		return m, &FieldError{"created_at", "must be an RFC 3339 time string"}
	}
	t, err := parseTime(ts)
	if err != nil {
		return m, &FieldError{"created_at", "not RFC 3339"}
	}
	if t.Before(MinCreatedAt) || t.After(now.Add(MaxClockSkew)) {
		return m, &FieldError{"created_at", "out of range"}
	}
	m.CreatedAt = t
	if err := Normalize(&m, now); err != nil {
		return m, err
	}
	return m, nil
}

// The contract's keys of a mention and of its author, and the keys only
// Earshot sets.
var (
	mentionKeys = []string{"platform", "channel", "external_id", "kind", "direction", "text", "url", "created_at",
		"in_reply_to", "thread_id", "rating", "author", "place", "id", "case_id", "analysis", "received_at"}
	authorKeys = []string{"id", "handle", "name", "followers", "following", "posts", "verified", "location"}
)

// exactKeys returns data, when it is one valid JSON object, without the
// members of it and of its author whose keys are not exactly one of the
// contract's: encoding/json then reads what the contract's exact
// matching reads. Other data comes back as it is.
func exactKeys(data []byte) []byte {
	if !json.Valid(data) {
		return data
	}
	return keepKeys(data, mentionKeys, true)
}

// keepKeys returns the object raw with only the members keyed by one of
// keys; with author, the "author" member is filtered by authorKeys too.
// A value that is not an object comes back as it is.
func keepKeys(raw []byte, keys []string, author bool) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return raw
	}
	out := []byte{'{'}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return raw
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return raw
		}
		k, _ := tok.(string)
		if !slices.Contains(keys, k) {
			continue
		}
		if author && k == "author" {
			v = keepKeys(v, authorKeys, false)
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		kj, _ := json.Marshal(k)
		out = append(append(append(out, kj...), ':'), v...)
	}
	return append(out, '}')
}

// ignoredByReader are fields the one-pass reader skips (Earshot sets
// them), where encoding/json decoded them and refused wrong types.
func ignoredByReader(field string) bool {
	for _, f := range []string{"id", "case_id", "analysis", "received_at"} {
		if field == f || strings.HasPrefix(field, f+".") {
			return true
		}
	}
	return false
}

// checkSameAsStd fails t when Decode and decodeStd disagree on data.
func checkSameAsStd(t *testing.T, data []byte) {
	t.Helper()
	got, err := Decode(data, testNow())
	want, stdErr := decodeStd(data, testNow())
	var stdField *FieldError
	stdIsField := errors.As(stdErr, &stdField)
	if err != nil && strings.Contains(err.Error(), "trailing data") {
		// Stricter on purpose: encoding/json lets a stray ] or } follow.
		dec := json.NewDecoder(bytes.NewReader(data))
		var first json.RawMessage
		if dec.Decode(&first) != nil || len(bytes.Trim(data[dec.InputOffset():], " \t\r\n")) == 0 {
			t.Fatalf("Decode(%q) = %v, but nothing follows the first value", data, err)
		}
		return
	}
	switch {
	case stdErr == nil && err != nil:
		t.Fatalf("Decode(%q) = %v; encoding/json accepted it", data, err)
	case stdErr != nil && err == nil:
		if stdIsField && ignoredByReader(stdField.Field) {
			return
		}
		t.Fatalf("Decode(%q) accepted it; encoding/json said %v", data, stdErr)
	case stdErr != nil:
		if !stdIsField || ignoredByReader(stdField.Field) {
			return
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != stdField.Field {
			t.Fatalf("Decode(%q) = %v; encoding/json blamed field %s (%v)", data, err, stdField.Field, stdErr)
		}
		return
	}
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("Decode(%q) created_at %v, encoding/json %v", data, got.CreatedAt, want.CreatedAt)
	}
	got.CreatedAt, want.CreatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(%q)\n got %+v\nwant %+v", data, got, want)
	}
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	base := `"platform":"x","external_id":"1","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}`
	for _, in := range []string{
		validMention,
		`{` + base + `,"text":"tab\tnew\nline \"quoted\" back\\slash \/ \u00e9 \ud83d\ude00 \ud83d lone \udc00 low"}`,
		`{` + base + `,"text":"bad utf-8 \xff\xfe end","channel":"caf\u0065\u0301"}`,
		`{` + base + `,"Text":"case of keys","PLATFORM":"yelp","rating":3}`,
		`{` + base + `,"text":"real text","Direction":"outbound","Text":"CAPS key","author":{"HANDLE":"b","Followers":9}}`,
		`{` + base + `,"text":"a","text":"last wins","rating":2,"rating":null}`,
		`{` + base + `,"author":{"id":"7"},"author":{"handle":"merged"},"author":null,"text":"t"}`,
		`{` + base + `,"text":"t","author":{"handle":"a","followers":-5,"following":0,"posts":12,"verified":true,"location":null}}`,
		`{` + base + `,"text":"t","rating":1.0}`,
		`{` + base + `,"text":"t","rating":1e2}`,
		`{` + base + `,"text":"t","rating":99999999999999999999}`,
		`{` + base + `,"text":"t","rating":"5"}`,
		`{` + base + `,"text":"t","author":"someone"}`,
		`{` + base + `,"text":"t","author":{"verified":"yes"}}`,
		`{` + base + `,"text":["a"]}`,
		`{` + base + `,"text":"t","future":{"a":[1,2,{"b":null,"c":[true,false,-0.5e-3]}],"d":"\u0041"}}`,
		`{` + base + `,"text":"t","future":[1,2,}`,
		`{` + base + `,"text":"t","future":01}`,
		`{` + base + `,"text":"t","future":tru}`,
		`{` + base + `,"text":"t" "x":1}`,
		`{` + base + `,"text":"t",}`,
		`{` + base + `,"text":"control` + "\x01" + `"}`,
		`{` + base + `,"text":"bad escape \q"}`,
		`{` + base + `,"text":"bad \u12G4"}`,
		`{` + base + `,"text":"t","created_at":12}`,
		`{` + base + `,"text":"t","created_at":null}`,
		`{` + base + `,"text":"t"} `,
		`{` + base + `,"text":"t"} {}`,
		`  null  `, `[]`, `"x"`, `12`, `true`, ``, `   `, `{`, `{"text"`, `{"text":`, `{"text":"a"`,
		`{` + base + `,"text":"t","id":"not a number","analysis":[1]}`,
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
		`{` + base + `,"text":"t","deep":` + strings.Repeat(`{"a":`, 50) + `1` + strings.Repeat(`}`, 50) + `}`,
	} {
		t.Run(fmt.Sprintf("%.40s", in), func(t *testing.T) { checkSameAsStd(t, []byte(in)) })
	}
}

func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	base := `"platform":"x","external_id":"1","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a","followers":3}`
	f.Add([]byte(validMention))
	f.Add([]byte(`{` + base + `,"text":"t\u00e9\ud83d\ude00 \"q\" \\","rating":3,"x":[1,{"y":null}]}`))
	f.Add([]byte(`{` + base + `,"Text":"t","rating":1.5}`))
	f.Add([]byte(`{"a":"\xff"}`))
	f.Add([]byte(`{` + base + `,"text":"t","created_at":"0001-01-01t00:00:00z","Rating":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSameAsStd(t, data)
	})
}

func TestDecodeSyntaxErrorsSayWhere(t *testing.T) {
	_, err := Decode([]byte(`{"platform":"x",,}`), testNow())
	if err == nil || !errors.Is(err, jsonexact.ErrSyntax) || !strings.Contains(err.Error(), "at byte 16") {
		t.Fatalf("error = %v, want invalid JSON at byte 16", err)
	}
}
