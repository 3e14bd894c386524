package api

import (
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
			{"trailing", `{"text":"hi"} x`, "", "the request body has more after the JSON object, at line 1, column 15 (byte 14); send one JSON object"},
		}},
		{"/notes", `{"text":"Called billing"}`, 201, []bad{
			{"wrong case", `{"TEXT":"hi"}`, "TEXT", `unknown field "TEXT": field names are case-sensitive; did you mean "text"?`},
			{"unknown", `{"text":"hi","author":"me"}`, "author", `unknown field "author"; the fields are text`},
			{"wrong type", `{"text":["hi"]}`, "text", "text must be a string, not an array"},
			{"trailing", "{\"text\":\"hi\"}\n{\"text\":\"again\"}", "", "the request body has more after the JSON object, at line 2, column 1 (byte 14); send one JSON object"},
		}},
		{"/assign", `{"team":"billing","assignee":"pat@example.org"}`, 200, []bad{
			{"wrong case", `{"Team":"billing"}`, "Team", `unknown field "Team": field names are case-sensitive; did you mean "team"?`},
			{"unknown", `{"teem":"billing"}`, "teem", `unknown field "teem"; the fields are team, site, assignee`},
			{"wrong type", `{"assignee":{"email":"pat@example.org"}}`, "assignee", "assignee must be a string, not an object"},
			{"trailing", `{"team":"billing"}}`, "", "the request body has more after the JSON object, at line 1, column 19 (byte 18); send one JSON object"},
		}},
		{"/status", `{"status":"pending"}`, 200, []bad{
			{"wrong case", `{"Status":"open"}`, "Status", `unknown field "Status": field names are case-sensitive; did you mean "status"?`},
			{"unknown", `{"status":"open","reason":"x"}`, "reason", `unknown field "reason"; the fields are status`},
			{"wrong type", `{"status":1}`, "status", "status must be a string, not a number"},
			{"trailing", `{"status":"open"},`, "", "the request body has more after the JSON object, at line 1, column 18 (byte 17); send one JSON object"},
		}},
		{"/tasks", `{"title":"Call Gil back","due_at":"2026-04-03T15:00:00-05:00","assignee":"pat@example.org"}`, 201, []bad{
			{"wrong case", `{"title":"x","Due_At":"2026-04-03T15:00:00Z"}`, "Due_At", `unknown field "Due_At": field names are case-sensitive; did you mean "due_at"?`},
			{"unknown", `{"title":"x","due":"2026-04-03T15:00:00Z"}`, "due", `unknown field "due"; the fields are title, due_at, assignee`},
			{"wrong type", `{"title":"x","due_at":1775246400}`, "due_at", "due_at must be a string, not a number"},
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
		{name: "last of repeated keys", body: `{"text":"a","text":"b"}`, want: strictFixture{Text: "b"}},
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
// for bodies whose keys are all exact: what one accepts the other
// accepts with the same values, and what decodeObject refuses as an
// unknown field has a key that is not exactly a field's name.
func FuzzDecodeObjectStrict(f *testing.F) {
	f.Add([]byte(`{"text":"a","team":"b","n":2,"in":{"s":"x"},"list":[{"s":"y"}],"tags":{"k":"v"},"e":"emb"}`))
	f.Add([]byte(`{"Text":"a"}`))
	f.Add([]byte(`{"text":"a"} {}`))
	f.Add([]byte(`{"list":[{"s":1}],"any":[null,{"X":true}]}`))
	top := jsonFields(reflect.TypeFor[strictFixture]())
	f.Fuzz(func(t *testing.T, data []byte) {
		var strict, loose strictFixture
		e := decodeObject(data, &strict)
		looseErr := json.Unmarshal(data, &loose)
		switch {
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
		}
	})
}
