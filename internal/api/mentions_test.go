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

func TestPostMentionsBodies(t *testing.T) {
	h := newHarness(t)
	good := func(id string) []byte { return []byte(mentionJSON(id, "ann", "Where is my ID card?", 0)) }
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, good("pretty"), "", "  "); err != nil {
		t.Fatal(err)
	}
	// A pretty-printed mention with the comma after "channel" (line 7)
	// missing, and one whose line 3 is a whole object of its own.
	prettyBroken := strings.Replace(pretty.String(), `"lonestar",`, `"lonestar"`, 1)
	nestedLine := "{\n  \"extra\": [\n    {\"a\": 1}\n  ],\n  \"platform\": \"web\",,\n  \"text\": \"x\"\n}"
	bomb := gzipped(t, make([]byte, MaxBodyBytes+1))
	for _, tc := range []struct {
		name     string
		body     []byte
		encoding string
		status   int
		code     string
		msg      []string // parts of the error message
		results  int      // with status 200 or 201
	}{
		{name: "trailing comma", body: []byte(`{"platform":"web","external_id":"t","text":"x",}`),
			status: 400, code: "bad_json", msg: []string{"line 1, column 48 (byte 47)", "expected a string key"}},
		{name: "not JSON", body: []byte(`hello`), status: 400, code: "bad_json", msg: []string{"line 1, column 1", `unexpected 'h'`}},
		{name: "pretty-printed with an error", body: []byte(prettyBroken), status: 400, code: "bad_json",
			msg: []string{"line 8, column 3", "expected , or } in object"}},
		{name: "pretty-printed with a whole object on a line", body: []byte(nestedLine), status: 400, code: "bad_json",
			msg: []string{"line 5, column 21", "expected a string key"}},
		{name: "two pretty-printed objects", body: []byte(pretty.String() + "\n" + pretty.String()), status: 400, code: "bad_json",
			msg: []string{"unexpected data after the first JSON value", "JSON Lines"}},
		{name: "gzip without Content-Encoding", body: gzipped(t, good("gz0")), status: 400, code: "bad_json", msg: []string{"unexpected byte 0x1f"}},
		{name: "gzip", body: gzipped(t, good("gz1")), encoding: "gzip", status: 201, results: 1},
		{name: "x-gzip", body: gzipped(t, good("gz2")), encoding: "x-gzip", status: 201, results: 1},
		{name: "identity", body: good("id"), encoding: "identity", status: 201, results: 1},
		{name: "not gzip", body: good("gz3"), encoding: "gzip", status: 400, code: "bad_body", msg: []string{"not valid gzip"}},
		{name: "brotli", body: good("br"), encoding: "br", status: 415, code: "unsupported_encoding", msg: []string{`"br"`, "gzip"}},
		{name: "gzip twice", body: gzipped(t, gzipped(t, good("gz4"))), encoding: "gzip, gzip", status: 415, code: "unsupported_encoding"},
		{name: "gzip bomb", body: bomb, encoding: "gzip", status: 413, code: "body_too_large", msg: []string{"once decompressed"}},
		{name: "pretty-printed", body: pretty.Bytes(), status: 201, results: 1},
		{name: "byte-order mark", body: []byte("\xef\xbb\xbf" + mentionJSON("bom", "bo", "hello", 1)), status: 201, results: 1},
		{name: "byte-order mark, bad", body: []byte("\xef\xbb\xbf{,}"), status: 400, code: "bad_json", msg: []string{"line 1, column 5 (byte 4)"}},
		{name: "broken first line", body: []byte("{broken\n" + mentionJSON("j1", "jo", "hi", 2) + "\n"), status: 200, results: 2},
		{name: "first line cut short", body: []byte(strings.TrimSuffix(mentionJSON("j2", "jo", "hi", 3), "}") + "\n" + mentionJSON("j3", "jo", "hi", 4)), status: 200, results: 2},
		{name: "every line bad", body: []byte("{bad\n{worse\n"), status: 400, code: "bad_json", msg: []string{"line 1, column 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr map[string]string
			if tc.encoding != "" {
				hdr = map[string]string{"Content-Encoding": tc.encoding}
			}
			code, header, body := h.send(model.RoleIntegration, "POST", "/api/v1/mentions", tc.body, hdr)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, body)
			}
			if tc.code != "" {
				var e errBody
				if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != tc.code {
					t.Fatalf("body %s, want the error envelope with code %s", body, tc.code)
				}
				for _, part := range tc.msg {
					if !strings.Contains(e.Error.Message, part) {
						t.Errorf("message %q lacks %q", e.Error.Message, part)
					}
				}
				if code == 415 && header.Get("Accept-Encoding") != "gzip" {
					t.Errorf("415 without Accept-Encoding: gzip")
				}
				return
			}
			var res resultsBody
			if err := json.Unmarshal(body, &res); err != nil || len(res.Results) != tc.results {
				t.Fatalf("body %s, want %d results", body, tc.results)
			}
		})
	}
}

func TestPostMentionsResultPositions(t *testing.T) {
	h := newHarness(t)
	bad := `{"platform":"x","external_id":"b","text":"no time","author":{"handle":"e"}}`
	arr := "[" + mentionJSON("a0", "al", "one", 0) + "," + bad + "," + mentionJSON("a2", "al", "three", 1) + "]"
	lines := "\n" + mentionJSON("l2", "lu", "one", 2) + "\n\n" + bad + "\n  \n" + mentionJSON("l6", "lu", "three", 3) + "\n"
	for _, tc := range []struct {
		name, body string
		want       []string // each result's position key and value, and whether it is an error
	}{
		{"single", mentionJSON("s", "sam", "hi", 0), []string{"index=0 ok"}},
		{"array", arr, []string{"index=0 ok", "index=1 error", "index=2 ok"}},
		{"JSON Lines", lines, []string{"line=2 ok", "line=4 error", "line=6 ok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := h.send(model.RoleIntegration, "POST", "/api/v1/mentions", []byte(tc.body), nil)
			if code != 200 && code != 201 {
				t.Fatalf("status %d: %s", code, body)
			}
			var res struct {
				Results []map[string]json.RawMessage `json:"results"`
			}
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Results {
				var pos string
				for _, k := range []string{"index", "line"} {
					if v, ok := r[k]; ok {
						pos += k + "=" + string(v)
					}
				}
				if _, ok := r["error"]; ok {
					for _, k := range []string{"id", "case_id", "duplicate", "analysis"} {
						if _, ok := r[k]; ok {
							t.Errorf("error item has %q: %v", k, r)
						}
					}
					got = append(got, pos+" error")
					continue
				}
				for _, k := range []string{"id", "case_id", "duplicate", "analysis"} {
					if _, ok := r[k]; !ok {
						t.Errorf("stored item lacks %q: %v", k, r)
					}
				}
				got = append(got, pos+" ok")
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Fatalf("results %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzSplitItems checks that splitItems takes any body apart into items
// that are where it says they are, or says where the body is wrong.
func FuzzSplitItems(f *testing.F) {
	good := mentionJSON("1", "ann", "hi", 0)
	f.Add([]byte(good))
	f.Add([]byte("[" + good + ",\n" + good + "]"))
	f.Add([]byte("\n" + good + "\n\n{broken\n" + good))
	f.Add([]byte("{\n  \"a\": [\n    {\"b\": 1}\n  ],,\n}"))
	f.Add([]byte("\xef\xbb\xbf" + good))
	f.Add([]byte(`hello`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, single, err := splitItems(body)
		if err != nil {
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("splitItems(%q) error %q does not say where", body, err)
			}
			return
		}
		if single && (len(items) != 1 || !json.Valid(items[0].data)) {
			t.Fatalf("splitItems(%q): single but %d items", body, len(items))
		}
		lines := bytes.Split(body, []byte("\n"))
		for i, it := range items {
			switch {
			case it.pos.Index != nil:
				if *it.pos.Index != i || it.pos.Line != 0 {
					t.Fatalf("splitItems(%q): item %d at %+v", body, i, it.pos)
				}
			case it.pos.Line < 1 || it.pos.Line > len(lines):
				t.Fatalf("splitItems(%q): item %d on line %d of %d", body, i, it.pos.Line, len(lines))
			case !bytes.Contains(lines[it.pos.Line-1], it.data) || len(bytes.TrimSpace(it.data)) == 0:
				t.Fatalf("splitItems(%q): item %d %q is not line %d %q", body, i, it.data, it.pos.Line, lines[it.pos.Line-1])
			}
		}
	})
}

// TestDuplicateMentionAnswersWithStoredAnalysis sends a mention, then
// the same mention again, alone and in an array: the answers are
// duplicates with the stored ids and the analysis the case shows, and
// the case is unchanged. The same mention with other text is an edit:
// a duplicate with "updated": true, and the case shows the new text.
func TestDuplicateMentionAnswersWithStoredAnalysis(t *testing.T) {
	h := newHarness(t)
	var first resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("d1", "ann", "Thank you, the staff were wonderful and kind", 0), &first); code != 201 {
		t.Fatalf("first: status %d", code)
	}
	stored := first.Results[0]
	path := fmt.Sprintf("/api/v1/cases/%d", stored.CaseID)
	var before model.Case
	h.do(model.RoleViewer, "GET", path, "", &before)

	resent := mentionJSON("d1", "ann", "Thank you, the staff were wonderful and kind", 0)
	var one, batch resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", resent, &one); code != 200 {
		t.Fatalf("resent: status %d", code)
	}
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", "["+resent+","+mentionJSON("d2", "bo", "hello", 1)+"]", &batch); code != 200 {
		t.Fatalf("batch: status %d", code)
	}
	var after model.Case
	h.do(model.RoleViewer, "GET", path, "", &after)
	if len(after.Mentions) != 1 || after.Mentions[0].Text != before.Mentions[0].Text || !reflect.DeepEqual(after.Mentions[0].Analysis, before.Mentions[0].Analysis) {
		t.Fatalf("the case changed: %+v, was %+v", after.Mentions, before.Mentions)
	}
	for _, got := range []resultItem{one.Results[0], batch.Results[0]} {
		if got.Duplicate == nil || !*got.Duplicate || got.ID != stored.ID || got.CaseID != stored.CaseID {
			t.Fatalf("resent result %+v, want a duplicate of %+v", got, stored)
		}
		if got.Analysis == nil || !reflect.DeepEqual(got.Analysis, after.Mentions[0].Analysis) || !reflect.DeepEqual(got.Analysis, stored.Analysis) {
			t.Fatalf("resent result's analysis %+v; the case shows %+v", got.Analysis, after.Mentions[0].Analysis)
		}
	}
	if d := batch.Results[1]; d.Duplicate == nil || *d.Duplicate || d.Analysis == nil {
		t.Fatalf("new mention in the batch: %+v", d)
	}

	edited := mentionJSON("d1", "ann", "Terrible. I was charged twice and nobody answers the phone", 0)
	var edit struct {
		Results []struct {
			ID        int64           `json:"id"`
			Duplicate bool            `json:"duplicate"`
			Updated   bool            `json:"updated"`
			Analysis  *model.Analysis `json:"analysis"`
		} `json:"results"`
	}
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", edited, &edit); code != 200 {
		t.Fatalf("edited: status %d", code)
	}
	h.do(model.RoleViewer, "GET", path, "", &after)
	if got := edit.Results[0]; !got.Duplicate || !got.Updated || got.ID != stored.ID || got.Analysis == nil ||
		got.Analysis.Sentiment.Label != model.SentimentNegative || after.Mentions[0].Text != "Terrible. I was charged twice and nobody answers the phone" {
		t.Fatalf("edit answered %+v; the case shows %+v", got, after.Mentions)
	}
}
