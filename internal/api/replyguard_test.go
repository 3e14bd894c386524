package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"earshot/internal/guard"
	"earshot/internal/model"
)

// TestReplyObfuscatedPHI: a public reply whose health information is
// disguised (invisible characters, look-alikes, spelled-out digits,
// character references, a right-to-left override) is refused with 422,
// naming what refused it by offsets into the text as sent, and nothing
// is stored; ordinary replies with emoji, accents and dashes go.
func TestReplyObfuscatedPHI(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("700", "ana", "Still waiting on my refund, please help", 0), &in)
	path := fmt.Sprintf("/api/v1/cases/%d", in.Results[0].CaseID)
	for _, tc := range []struct {
		text, code, marked string
	}{
		{"We updated member ID XJH\u200b123\u200b456\u200b789 today.", guard.RefusedPHI, "XJH\u200b123\u200b456\u200b789"},
		{"Please call us back at 5\u00ad1\u00ad2-555-0199.", guard.RefusedPHI, "5\u00ad1\u00ad2-555-0199"},
		{"Please call us back at ⑤①②-⁵⁵⁵-𝟎𝟏𝟗𝟗.", guard.RefusedPHI, "⑤①②-⁵⁵⁵-𝟎𝟏𝟗𝟗"},
		{"Please call us back at five one two, five five five, zero one nine nine.", guard.RefusedPHI, "five one two, five five five, zero one nine nine"},
		{"Please call us back at &#53;&#49;&#50;-555-0199.", guard.RefusedPHI, "&#53;&#49;&#50;-555-0199"},
		{"Sorry to hear about the diаbеtеs, please DM us.", guard.RefusedPHI, "diаbеtеs"},
		{"Sorry to hear about the d\u0308i\u0308abetes, please DM us.", guard.RefusedPHI, "d\u0308i\u0308abetes"},
		{"Member ID \u202e987654321HJX\u202c is on file.", guard.RefusedHidden, "\u202e"},
		{"Call us at 0199 \u200f555 512 today.", guard.RefusedHidden, "\u200f"},
	} {
		body, _ := json.Marshal(map[string]string{"text": tc.text, "visibility": "public"})
		var e struct {
			Error struct {
				Code       string             `json:"code"`
				Message    string             `json:"message"`
				Field      string             `json:"field"`
				Findings   []model.PHIFinding `json:"findings"`
				Characters []guard.Hidden     `json:"characters"`
			} `json:"error"`
		}
		if code := h.do(model.RoleAgent, "POST", path+"/replies", string(body), &e); code != 422 || e.Error.Code != tc.code {
			t.Errorf("%q: %d %+v, want 422 %s", tc.text, code, e, tc.code)
			continue
		}
		var spans []string
		for _, c := range e.Error.Characters {
			spans = append(spans, tc.text[c.Start:c.End])
		}
		for _, f := range e.Error.Findings {
			spans = append(spans, tc.text[f.Start:f.End])
		}
		if len(spans) == 0 || spans[0] != tc.marked {
			t.Errorf("%q: marked %q, want %q first", tc.text, spans, tc.marked)
		}
		if tc.code == guard.RefusedHidden && (e.Error.Field != "text" || !strings.Contains(e.Error.Message, "U+")) {
			t.Errorf("%q: %+v does not name the characters", tc.text, e.Error)
		}
	}
	var c model.Case
	h.do(model.RoleAgent, "GET", path, "", &c)
	if len(c.Replies) != 0 {
		t.Fatalf("refused replies stored: %+v", c.Replies)
	}
	for _, text := range []string{
		"We're sorry to hear this 😔 Please DM us so we can help. – José, Care Team",
		"Lo sentimos mucho 🙏 Por favor, escríbenos por DM y te ayudamos enseguida.",
		"We’re sorry — that’s not the experience we want. Please DM us.",
	} {
		body, _ := json.Marshal(map[string]string{"text": text, "visibility": "public"})
		if code := h.do(model.RoleAgent, "POST", path+"/replies", string(body), nil); code != 201 {
			t.Errorf("%q: %d, want 201", text, code)
		}
	}
}
