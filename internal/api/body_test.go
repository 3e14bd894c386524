package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestRequestBodyErrorsInPlainWords(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("1", "gil", "I got charged twice", 0), &in)
	path := fmt.Sprintf("/api/v1/cases/%d", in.Results[0].CaseID)
	for _, tc := range []struct {
		name, path, body string
		field            string
		msg              string
	}{
		{"array", "/replies", `[{"text":"hi"}]`, "", "the request body must be a JSON object, not an array"},
		{"string", "/notes", `"hi"`, "", "the request body must be a JSON object, not a string"},
		{"null", "/notes", `null`, "", "the request body must be a JSON object, not null"},
		{"empty", "/notes", " \n", "", "the request body is empty; send a JSON object"},
		{"broken", "/replies", "{\"text\":\n\"hi\",}", "", "the request body is not valid JSON at line 2, column 6 (byte 14): expected a string key"},
		{"cut short", "/status", `{"status":`, "", "the request body is not valid JSON at line 1, column 11 (byte 10): unexpected end of input"},
		{"number for text", "/replies", `{"text":5}`, "text", "text must be a string, not a number"},
		{"array for status", "/status", `{"status":["open"]}`, "status", "status must be a string, not an array"},
		{"number for a pointer", "/assign", `{"team":7}`, "team", "team must be a string, not a number"},
		{"object for title", "/tasks", `{"title":{"a":1}}`, "title", "title must be a string, not an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := h.send(model.RoleSupervisor, "POST", path+tc.path, []byte(tc.body), nil)
			var e errBody
			if err := json.Unmarshal(body, &e); err != nil || code != 400 || e.Error.Code != "bad_json" {
				t.Fatalf("status %d, body %s; want 400 bad_json", code, body)
			}
			if e.Error.Message != tc.msg || e.Error.Field != tc.field {
				t.Fatalf("error %q (field %q), want %q (field %q)", e.Error.Message, e.Error.Field, tc.msg, tc.field)
			}
			for _, goWord := range []string{"Go ", "struct", "*string", "json:"} {
				if strings.Contains(e.Error.Message, goWord) {
					t.Fatalf("message %q shows Go's names (%q)", e.Error.Message, goWord)
				}
			}
		})
	}
	if code, _, body := h.send(model.RoleAgent, "POST", path+"/notes", []byte("\xef\xbb\xbf{\"text\":\"after a byte-order mark\"}"), nil); code != 201 {
		t.Fatalf("note after a byte-order mark: %d %s", code, body)
	}
	if code, _, body := h.send(model.RoleAgent, "POST", path+"/notes", gzipped(t, []byte(`{"text":"gzipped"}`)), map[string]string{"Content-Encoding": "gzip"}); code != 201 {
		t.Fatalf("gzipped note: %d %s", code, body)
	}
	if code, _, body := h.send(model.RoleAgent, "POST", path+"/notes", []byte(`{"text":"x"}`), map[string]string{"Content-Encoding": "compress"}); code != 415 {
		t.Fatalf("compressed note: %d %s", code, body)
	}
}

func TestDecodeObjectNumbers(t *testing.T) {
	var v struct {
		N  int     `json:"n"`
		U  uint8   `json:"u"`
		F  float64 `json:"f"`
		B  bool    `json:"b"`
		In struct {
			S string `json:"s"`
		} `json:"in"`
	}
	for body, want := range map[string]string{
		`{"n":1.5}`:         "n must be a whole number, not 1.5",
		`{"u":300}`:         "u must be a whole number, not 300",
		`{"f":"x"}`:         "f must be a number, not a string",
		`{"b":1}`:           "b must be true or false, not a number",
		`{"in":[]}`:         "in must be an object, not an array",
		`{"in":{"s":true}}`: "in.s must be a string, not true or false",
	} {
		if e := decodeObject([]byte(body), &v); e == nil || e.Message != want {
			t.Errorf("decodeObject(%s) = %+v, want %q", body, e, want)
		}
	}
}

// FuzzDecodeObject holds decodeObject's messages to plain words: no Go
// type names, and a position for every syntax error.
func FuzzDecodeObject(f *testing.F) {
	f.Add([]byte(`{"text":"hi","visibility":"public"}`))
	f.Add([]byte(`[{"text":"hi"}]`))
	f.Add([]byte(`{"text":5,"n":1.5,"in":{"s":[]}}`))
	f.Add([]byte("\xef\xbb\xbf{\"text\":\n}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v struct {
			Text string  `json:"text"`
			Team *string `json:"team"`
			N    int     `json:"n"`
			In   struct {
				S string `json:"s"`
			} `json:"in"`
		}
		e := decodeObject(data, &v)
		if e == nil {
			return
		}
		for _, goWord := range []string{"Go ", "struct", "*string", "int64", "float64", "json:"} {
			if strings.Contains(e.Message, goWord) {
				t.Fatalf("decodeObject(%q): %q shows Go's names (%q)", data, e.Message, goWord)
			}
		}
		if strings.Contains(e.Message, "not valid JSON") && !strings.Contains(e.Message, "line ") {
			t.Fatalf("decodeObject(%q): %q does not say where", data, e.Message)
		}
	})
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSyntaxErrorsWordedAlikeOnBothDoors holds the mentions endpoint and
// the small request bodies to one wording of broken JSON: where it
// breaks, then what is wrong there.
func TestSyntaxErrorsWordedAlikeOnBothDoors(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("1", "gil", "I got charged twice", 0), &in)
	notes := fmt.Sprintf("/api/v1/cases/%d/notes", in.Results[0].CaseID)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"trailing comma", "{\"text\":\n\"hi\",}", "at line 2, column 6 (byte 14): expected a string key"},
		{"cut short", `{"text":`, "at line 1, column 9 (byte 8): unexpected end of input"},
		{"bad literal", `{"text":tru}`, "at line 1, column 9 (byte 8): invalid literal"},
		{"after a byte-order mark", "\xef\xbb\xbf{\"text\" \"hi\"}", "at line 1, column 12 (byte 11): expected : after key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, door := range []struct{ role, path string }{
				{model.RoleIntegration, "/api/v1/mentions"},
				{model.RoleAgent, notes},
			} {
				code, _, body := h.send(door.role, "POST", door.path, []byte(tc.body), nil)
				var e errBody
				if err := json.Unmarshal(body, &e); err != nil || code != 400 {
					t.Fatalf("%s: status %d, body %s; want 400", door.path, code, body)
				}
				if !strings.Contains(e.Error.Message, tc.want) {
					t.Errorf("%s: error %q, want it to say %q", door.path, e.Error.Message, tc.want)
				}
			}
		})
	}
}
