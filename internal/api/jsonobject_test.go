package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"earshot/internal/model"
)

// TestBodyKeysMatchExactly sends each endpoint that takes a JSON object
// a key in the wrong case, an unknown key, a value of the wrong type and
// data after the object: each is a 400 naming what is wrong and changes
// nothing; the valid body still works.
func TestBodyKeysMatchExactly(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("1", "gil", "I got charged twice", 0), &in)
	path := fmt.Sprintf("/api/v1/cases/%d", in.Results[0].CaseID)
	h.org(model.Team{ID: "billing", Name: "Billing"}, model.User{Email: "pat@example.org", Role: model.RoleAgent})

	type bad struct {
		name, body, field, msg string
	}
	for _, ep := range []struct {
		path  string
		valid string
		code  int
		bad   []bad
	}{
		{"/replies", `{"text":"Sorry to hear that, please DM us.","visibility":"private"}`, 201, []bad{
			{"wrong case", `{"Text":"hi"}`, "Text", `unknown field "Text": field names are case-sensitive; did you mean "text"?`},
			{"upper case", `{"text":"hi","VISIBILITY":"private"}`, "VISIBILITY", `unknown field "VISIBILITY": field names are case-sensitive; did you mean "visibility"?`},
			{"unknown", `{"txet":"hi"}`, "txet", `unknown field "txet"; the fields are text, visibility, template, override_reason`},
			{"wrong type", `{"text":"hi","visibility":true}`, "visibility", "visibility must be a string, not true or false"},
			{"repeated", `{"text":"hi","visibility":"private","text":"bye"}`, "text", `"text" appears twice; send each field once`},
			{"trailing", `{"text":"hi"} x`, "", "the request body has more after the JSON object, at line 1, column 15 (byte 14); send one JSON object"},
		}},
		{"/notes", `{"text":"Called billing"}`, 201, []bad{
			{"wrong case", `{"TEXT":"hi"}`, "TEXT", `unknown field "TEXT": field names are case-sensitive; did you mean "text"?`},
			{"unknown", `{"text":"hi","author":"me"}`, "author", `unknown field "author"; the fields are text`},
			{"wrong type", `{"text":["hi"]}`, "text", "text must be a string, not an array"},
			{"repeated", `{"text":"a","text":"b"}`, "text", `"text" appears twice; send each field once`},
			{"trailing", "{\"text\":\"hi\"}\n{\"text\":\"again\"}", "", "the request body has more after the JSON object, at line 2, column 1 (byte 14); send one JSON object"},
		}},
		{"/assign", `{"team":"billing","assignee":"pat@example.org"}`, 200, []bad{
			{"wrong case", `{"Team":"billing"}`, "Team", `unknown field "Team": field names are case-sensitive; did you mean "team"?`},
			{"unknown", `{"teem":"billing"}`, "teem", `unknown field "teem"; the fields are team, site, assignee`},
			{"wrong type", `{"assignee":{"email":"pat@example.org"}}`, "assignee", "assignee must be a string, not an object"},
			{"repeated", `{"assignee":"pat@example.org","assignee":""}`, "assignee", `"assignee" appears twice; send each field once`},
			{"trailing", `{"team":"billing"}}`, "", "the request body has more after the JSON object, at line 1, column 19 (byte 18); send one JSON object"},
		}},
		{"/status", `{"status":"pending"}`, 200, []bad{
			{"wrong case", `{"Status":"open"}`, "Status", `unknown field "Status": field names are case-sensitive; did you mean "status"?`},
			{"unknown", `{"status":"open","reason":"x"}`, "reason", `unknown field "reason"; the fields are status`},
			{"wrong type", `{"status":1}`, "status", "status must be a string, not a number"},
			{"repeated", `{"status":"open","status":"closed"}`, "status", `"status" appears twice; send each field once`},
			{"trailing", `{"status":"open"},`, "", "the request body has more after the JSON object, at line 1, column 18 (byte 17); send one JSON object"},
		}},
		{"/tasks", `{"title":"Call Gil back","due_at":"2026-04-03T15:00:00-05:00","assignee":"pat@example.org"}`, 201, []bad{
			{"wrong case", `{"title":"x","Due_At":"2026-04-03T15:00:00Z"}`, "Due_At", `unknown field "Due_At": field names are case-sensitive; did you mean "due_at"?`},
			{"unknown", `{"title":"x","due":"2026-04-03T15:00:00Z"}`, "due", `unknown field "due"; the fields are title, due_at, assignee`},
			{"wrong type", `{"title":"x","due_at":1775246400}`, "due_at", "due_at must be a string, not a number"},
			{"repeated", `{"title":"x","title":"y"}`, "title", `"title" appears twice; send each field once`},
			{"trailing", `{"title":"x"} // call back`, "", "the request body has more after the JSON object, at line 1, column 15 (byte 14); send one JSON object"},
		}},
	} {
		for _, tc := range ep.bad {
			t.Run(strings.TrimPrefix(ep.path, "/")+"/"+tc.name, func(t *testing.T) {
				code, _, body := h.send(model.RoleSupervisor, "POST", path+ep.path, []byte(tc.body), nil)
				var e errBody
				if err := json.Unmarshal(body, &e); err != nil || code != 400 || e.Error.Code != "bad_json" {
					t.Fatalf("%s: status %d, body %s; want 400 bad_json", tc.body, code, body)
				}
				if e.Error.Message != tc.msg || e.Error.Field != tc.field {
					t.Fatalf("%s: error %q (field %q), want %q (field %q)", tc.body, e.Error.Message, e.Error.Field, tc.msg, tc.field)
				}
			})
		}
		t.Run(strings.TrimPrefix(ep.path, "/")+"/valid", func(t *testing.T) {
			if code, _, body := h.send(model.RoleSupervisor, "POST", path+ep.path, []byte(ep.valid), nil); code != ep.code {
				t.Fatalf("%s: status %d, body %s; want %d", ep.valid, code, body, ep.code)
			}
		})
	}

	// Only the valid bodies changed the case.
	var c model.Case
	if code := h.do(model.RoleViewer, "GET", path, "", &c); code != 200 {
		t.Fatalf("get: %d", code)
	}
	if len(c.Replies) != 1 || len(c.Notes) != 1 || len(c.Tasks) != 1 || c.Team != "billing" || c.Assignee != "pat@example.org" || c.Status != model.StatusPending {
		t.Fatalf("case after the requests: %d replies, %d notes, %d tasks, team %q, assignee %q, status %q; want one of each, billing, pat, pending",
			len(c.Replies), len(c.Notes), len(c.Tasks), c.Team, c.Assignee, c.Status)
	}
	if c.Tasks[0].Title != "Call Gil back" || c.Tasks[0].Assignee != "pat@example.org" || c.Tasks[0].DueAt == nil {
		t.Fatalf("task %+v", c.Tasks[0])
	}
}

// strictFixture has every kind of field strictValue handles.
type strictFixture struct {
	Text  string            `json:"text"`
	Team  *string           `json:"team"`
	N     int               `json:"n"`
	F     float64           `json:"f,omitempty"`
	Skip  string            `json:"-"`
	Plain string            // no tag: its Go name
	In    *strictInner      `json:"in"`
	List  []strictInner     `json:"list"`
	Tags  map[string]string `json:"tags"`
	Any   any               `json:"any"`
	strictEmbedded
}

type strictInner struct {
	S string `json:"s"`
}

type strictEmbedded struct {
	E    string `json:"e"`
	Text string `json:"text"` // hidden by the outer text
}

func TestDecodeObjectStrict(t *testing.T) {
	team := "billing"
	for _, tc := range []struct {
		name, body string
		want       strictFixture
		field, msg string // of the error; "" for none
	}{
		{name: "every field", body: `{"text":"a","team":"billing","n":2,"f":1.5,"Plain":"p","in":{"s":"x"},"list":[{"s":"y"},{"s":"z"}],"tags":{"k":"v"},"any":{"Free":[1]},"e":"emb"}`,
			want: strictFixture{Text: "a", Team: &team, N: 2, F: 1.5, Plain: "p", In: &strictInner{S: "x"}, List: []strictInner{{S: "y"}, {S: "z"}},
				Tags: map[string]string{"k": "v"}, Any: map[string]any{"Free": []any{1.0}}, strictEmbedded: strictEmbedded{E: "emb"}}},
		{name: "null leaves fields", body: `{"text":null,"team":null,"in":null,"list":null}`},
		{name: "repeated key", body: `{"text":"a","text":"b"}`, field: "text", msg: `"text" appears twice; send each field once`},
		{name: "repeated key, escaped", body: `{"text":"a","t\u0065xt":"b"}`, field: "text", msg: `"text" appears twice; send each field once`},
		{name: "repeated null", body: `{"team":null,"team":"billing"}`, field: "team", msg: `"team" appears twice; send each field once`},
		{name: "repeated nested key", body: `{"in":{"s":"a","s":"b"}}`, field: "in.s", msg: `"in.s" appears twice; send each field once`},
		{name: "repeated in a list", body: `{"list":[{"s":"a"},{"s":"b","s":"c"}]}`, field: "list[1].s", msg: `"list[1].s" appears twice; send each field once`},
		{name: "repeated map key", body: `{"tags":{"k":"a","k":"b"}}`, field: "tags.k", msg: `"tags.k" appears twice; send each field once`},
		{name: "same key in two objects", body: `{"in":{"s":"a"},"list":[{"s":"b"},{"s":"c"}]}`,
			want: strictFixture{In: &strictInner{S: "a"}, List: []strictInner{{S: "b"}, {S: "c"}}}},
		{name: "repeated unknown key", body: `{"txet":"a","txet":"b"}`, field: "txet", msg: `unknown field "txet"; the fields are text, team, n, f, Plain, in, list, tags, any, e`},
		{name: "escaped key", body: `{"t\u0065xt":"a"}`, want: strictFixture{Text: "a"}},
		{name: "empty list", body: `{"list":[]}`, want: strictFixture{List: []strictInner{}}},
		{name: "tag minus is unknown", body: `{"Skip":"x"}`, field: "Skip", msg: `unknown field "Skip"; the fields are text, team, n, f, Plain, in, list, tags, any, e`},
		{name: "untagged name in other case", body: `{"plain":"x"}`, field: "plain", msg: `unknown field "plain": field names are case-sensitive; did you mean "Plain"?`},
		{name: "nested unknown", body: `{"in":{"S":"x"}}`, field: "in.S", msg: `unknown field "in.S": field names are case-sensitive; did you mean "s"?`},
		{name: "unknown in a list", body: `{"list":[{"s":"x"},{"t":"y"}]}`, field: "list[1].t", msg: `unknown field "list[1].t"; the fields are s`},
		{name: "nested wrong type", body: `{"list":[{"s":5}]}`, field: "list[0].s", msg: "list[0].s must be a string, not a number"},
		{name: "object for a list", body: `{"list":{"s":"x"}}`, field: "list", msg: "list must be an array, not an object"},
		{name: "string for an object", body: `{"in":"x"}`, field: "in", msg: "in must be an object, not a string"},
		{name: "map value", body: `{"tags":{"k":1}}`, field: "tags.k", msg: "tags.k must be a string, not a number"},
		{name: "fraction for a whole number", body: `{"n":1.5}`, field: "n", msg: "n must be a whole number, not 1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got strictFixture
			e := decodeObject([]byte(tc.body), &got)
			switch {
			case tc.msg == "" && e != nil:
				t.Fatalf("decodeObject(%s): %+v", tc.body, e)
			case tc.msg != "" && (e == nil || e.Message != tc.msg || e.Field != tc.field):
				t.Fatalf("decodeObject(%s) = %+v, want %q (field %q)", tc.body, e, tc.msg, tc.field)
			case tc.msg == "" && !reflect.DeepEqual(got, tc.want):
				t.Fatalf("decodeObject(%s) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

// FuzzDecodeObjectStrict holds decodeObject to encoding/json's results
// for bodies whose keys are all exact and appear once an object: what
// decodeObject accepts encoding/json accepts with the same values, what
// it refuses as an unknown field has a key that is not exactly a
// field's name, and what it refuses as a repeated key names a key that
// is in the body at least twice.
func FuzzDecodeObjectStrict(f *testing.F) {
	f.Add([]byte(`{"text":"a","team":"b","n":2,"in":{"s":"x"},"list":[{"s":"y"}],"tags":{"k":"v"},"e":"emb"}`))
	f.Add([]byte(`{"Text":"a"}`))
	f.Add([]byte(`{"text":"a"} {}`))
	f.Add([]byte(`{"list":[{"s":1}],"any":[null,{"X":true}]}`))
	f.Add([]byte(`{"text":"a","t\u0065xt":"b"}`))
	f.Add([]byte(`{"in":{"s":"a","s":"b"},"tags":{"k":"v","k":"w"}}`))
	f.Add([]byte(`{"text":"a\u0000b","tags":{"k\u0000":"v"},"list":[{"s":"\u0000"}]}`))
	f.Add([]byte(`{"tags":{"k\u0000":"v"}}`))
	top := jsonFields(reflect.TypeFor[strictFixture]())
	f.Fuzz(func(t *testing.T, data []byte) {
		var strict, loose strictFixture
		e := decodeObject(data, &strict)
		looseErr := json.Unmarshal(data, &loose)
		switch {
		case e == nil && typedStringHas(reflect.ValueOf(strict), 0):
			t.Fatalf("decodeObject(%q) = %+v, with a NUL in a string field", data, strict)
		case e != nil && e.Code == "bad_field":
			// Only a NUL, which JSON must escape, is a bad string value.
			if !strings.Contains(e.Message, "NUL") || !bytes.Contains(bytes.ToLower(data), []byte(`\u0000`)) {
				t.Fatalf("decodeObject(%q): bad_field %q without a NUL", data, e.Message)
			}
		case e == nil && looseErr != nil:
			t.Fatalf("decodeObject(%q) accepts what encoding/json refuses: %v", data, looseErr)
		case e == nil && !reflect.DeepEqual(strict, loose):
			t.Fatalf("decodeObject(%q) = %+v, encoding/json %+v", data, strict, loose)
		case e != nil && strings.HasPrefix(e.Message, "unknown field"):
			if !strings.HasPrefix(e.Message, fmt.Sprintf("unknown field %q", e.Field)) {
				t.Fatalf("decodeObject(%q): %q does not name its field %q", data, e.Message, e.Field)
			}
			if _, known := top.byName[e.Field]; known {
				t.Fatalf("decodeObject(%q): %q is a field", data, e.Field)
			}
		case e != nil && strings.HasSuffix(e.Message, " appears twice; send each field once"):
			if e.Message != fmt.Sprintf("%q appears twice; send each field once", e.Field) || e.Field == "" {
				t.Fatalf("decodeObject(%q): %q does not name its field %q", data, e.Message, e.Field)
			}
			// The key (the last part of the field's path, which may itself
			// hold dots) is in the body twice, as written or escaped.
			if n := countKeys(data, func(k string) bool {
				return k == e.Field || strings.HasSuffix(e.Field, "."+k)
			}); n < 2 {
				t.Fatalf("decodeObject(%q): %q appears twice, but the body has the key %d times", data, e.Field, n)
			}
		}
	})
}

// typedStringHas reports whether a string of v, or of what v holds
// through pointers, structs, slices and maps (but not interfaces, which
// encoding/json fills as it likes), contains the byte c.
func typedStringHas(v reflect.Value, c byte) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.IndexByte(v.String(), c) >= 0
	case reflect.Pointer:
		return !v.IsNil() && typedStringHas(v.Elem(), c)
	case reflect.Struct:
		for i := range v.NumField() {
			if typedStringHas(v.Field(i), c) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if typedStringHas(v.Index(i), c) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if typedStringHas(it.Key(), c) || typedStringHas(it.Value(), c) {
				return true
			}
		}
	}
	return false
}

// countKeys counts the object keys in the valid JSON data, at any
// depth, for which match (given the key unescaped) is true.
func countKeys(data []byte, match func(key string) bool) int {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return 0
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	n := 0
	// A key is a string token read where an object expects a key: the
	// decoder's tokens alternate key, value inside an object.
	type frame struct {
		object bool
		key    bool // the next token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if s, ok := tok.(string); ok {
				if match(s) {
					n++
				}
				top.key = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: in an object, a key comes next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}
