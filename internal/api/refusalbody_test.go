package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/model"
	"earshot/internal/org"
	routes "earshot/internal/route"
)

// refusalBody is the 422 body of a refused reply, as clients read it.
type refusalBody struct {
	Error struct {
		Code       string             `json:"code"`
		Message    string             `json:"message"`
		Field      string             `json:"field"`
		Findings   []model.PHIFinding `json:"findings"`
		Warnings   []guard.Warning    `json:"warnings"`
		Reasons    []guard.Reason     `json:"reasons"`
		Suggestion *string            `json:"suggestion"`
	} `json:"error"`
}

// answer writes ref as the API answers a refused reply and returns the
// status and the error object's fields.
func answer(t *testing.T, ref *cases.Refusal) (int, map[string]json.RawMessage) {
	t.Helper()
	a := &API{}
	rec := httptest.NewRecorder()
	a.writeRefusal(rec, httptest.NewRequest("POST", "/api/v1/cases/1/replies", nil), ref)
	var body map[string]map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	return rec.Code, body["error"]
}

// TestRefusalBodyCarriesReasonsAndSuggestion: the 422 body of a reply
// the guard refuses for health information or a relationship keeps
// findings and warnings and adds the guard's reasons and suggestion,
// from a verdict built by hand; one without reasons has "reasons": []
// and no suggestion.
func TestRefusalBodyCarriesReasonsAndSuggestion(t *testing.T) {
	text := "Sorry about your mother's stroke care, please DM us."
	reason := guard.Reason{Kind: "relative_care", Phrase: "your mother's stroke care", Start: 12, End: 37, Why: "names a relative's condition: say 'your concern'"}
	phi := guard.Result{Blocked: true, PHI: []model.PHIFinding{{Type: "condition", Start: 27, End: 33}}, Reasons: []guard.Reason{reason},
		Suggestion: "Sorry about your concern, please DM us."}
	rel := guard.Result{Warnings: []guard.Warning{{Phrase: "your mother's stroke care", Start: 12, End: 37}}, Reasons: []guard.Reason{reason}}
	for _, tc := range []struct {
		name           string
		ref            *cases.Refusal
		code, keep     string
		wantSuggestion string
	}{
		{"health information", &cases.Refusal{Code: guard.RefusedPHI, Guard: &guard.Refusal{Code: guard.RefusedPHI, Result: phi}}, guard.RefusedPHI, "findings", phi.Suggestion},
		{"relationship", &cases.Refusal{Code: guard.RefusedRelationship, Guard: &guard.Refusal{Code: guard.RefusedRelationship, Result: rel}}, guard.RefusedRelationship, "warnings", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, e := answer(t, tc.ref)
			if status != 422 || string(e["code"]) != `"`+tc.code+`"` || e[tc.keep] == nil {
				t.Fatalf("%d %s", status, e)
			}
			var reasons []guard.Reason
			if err := json.Unmarshal(e["reasons"], &reasons); err != nil || len(reasons) != 1 || reasons[0] != reason || text[reasons[0].Start:reasons[0].End] != reason.Phrase {
				t.Errorf("reasons %s: %v", e["reasons"], err)
			}
			var sugg string
			if raw, ok := e["suggestion"]; ok != (tc.wantSuggestion != "") || (ok && (json.Unmarshal(raw, &sugg) != nil || sugg != tc.wantSuggestion)) {
				t.Errorf("suggestion %s, want %q", raw, tc.wantSuggestion)
			}
		})
	}
	bare := &cases.Refusal{Code: guard.RefusedPHI, Guard: &guard.Refusal{Code: guard.RefusedPHI, Result: guard.Result{Blocked: true, PHI: phi.PHI}}}
	if _, e := answer(t, bare); string(e["reasons"]) != "[]" || e["suggestion"] != nil {
		t.Errorf("a refusal without reasons: %s", e)
	}
	if _, e := answer(t, &cases.Refusal{Code: guard.RefusedPlaceholder, Guard: &guard.Refusal{Code: guard.RefusedPlaceholder, Placeholders: []string{"{x}"}}}); e["reasons"] != nil {
		t.Errorf("a placeholder refusal grew reasons: %s", e)
	}
}

// TestPublicReplyWithAnSSNHasReasons: the guard in force refuses a
// public reply with a social security number, 422 with findings and
// reasons (an array, whatever the guard can say).
func TestPublicReplyWithAnSSNHasReasons(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("900", "ana", "Still waiting on my refund, please help", 0), &in)
	body, _ := json.Marshal(map[string]string{"text": "We found SSN 123-45-6789 on the form, please DM us.", "visibility": "public"})
	var e map[string]map[string]json.RawMessage
	if code := h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", in.Results[0].CaseID), string(body), &e); code != 422 {
		t.Fatalf("%d %s", code, e)
	}
	var reasons []guard.Reason
	if string(e["error"]["code"]) != `"`+guard.RefusedPHI+`"` || e["error"]["findings"] == nil || json.Unmarshal(e["error"]["reasons"], &reasons) != nil || reasons == nil {
		t.Errorf("body %s", e)
	}
}

const crisisOrgFile = `organization: T
timezone: UTC
contact: {phones: ["+1 512-555-0100"]}
crisis:
  call: [{name: Nurse line supervisor, phone: "+1 512-555-0142"}]
  steps: [Reply privately with the 988 line.]
  public_reply: "We're concerned and want to help. Please call or text 988 now, or send us a direct message."
`

// TestCrisisReplyRefusedAndProtocolShown: on a critical case a public
// reply that discusses the crisis is 422 crisis_in_public_reply with the
// words as reasons and the protocol's public reply as suggestion; the
// protocol's reply and private replies go; the case JSON carries the
// protocol (crisis_protocol), which a case that is not critical lacks.
func TestCrisisReplyRefusedAndProtocolShown(t *testing.T) {
	o, err := org.Parse([]byte(crisisOrgFile))
	if err != nil {
		t.Fatal(err)
	}
	r, err := routes.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := routes.NewLive(r)
	h := newHarness(t, func(c *Config) {
		c.Cases = cases.NewService(c.Store, live, guard.New(analyze.New(), guard.WithContacts(cases.Contacts(live))), nil)
	})
	var ids []int64
	for i, text := range []string{"I have the pills in my hand and I want to die tonight", "Still waiting on my refund, please help"} {
		var in resultsBody
		h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON(fmt.Sprint(901+i), fmt.Sprint("member", i), text, i), &in)
		ids = append(ids, in.Results[0].CaseID)
	}
	var crit, calm int64
	for _, id := range ids {
		var c struct {
			Urgency        string      `json:"urgency"`
			CrisisProtocol *org.Crisis `json:"crisis_protocol"`
		}
		if code := h.do(model.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), "", &c); code != 200 {
			t.Fatalf("case %d: %d", id, code)
		}
		if c.Urgency == model.UrgencyCritical {
			crit = id
			if c.CrisisProtocol == nil || c.CrisisProtocol.PublicReply != o.Crisis.PublicReply || len(c.CrisisProtocol.Call) != 1 {
				t.Errorf("critical case %d: protocol %+v", id, c.CrisisProtocol)
			}
		} else {
			calm = id
			if c.CrisisProtocol != nil {
				t.Errorf("case %d (%s) shows the protocol", id, c.Urgency)
			}
		}
	}
	if crit == 0 || calm == 0 {
		t.Fatalf("want one critical case and one not: critical %d, other %d", crit, calm)
	}
	post := func(id int64, text, vis string, out any) int {
		body, _ := json.Marshal(map[string]string{"text": text, "visibility": vis})
		return h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", id), string(body), out)
	}
	text := "We're so sorry you feel suicidal. Please send us a direct message."
	var e refusalBody
	if code := post(crit, text, "public", &e); code != 422 || e.Error.Code != cases.RefusedCrisis || e.Error.Field != "text" ||
		!strings.Contains(e.Error.Message, "must not discuss it") || len(e.Error.Reasons) != 1 || e.Error.Reasons[0].Phrase != "suicidal" ||
		e.Error.Reasons[0].Kind != cases.ReasonCrisis || text[e.Error.Reasons[0].Start:e.Error.Reasons[0].End] != "suicidal" ||
		e.Error.Suggestion == nil || *e.Error.Suggestion != o.Crisis.PublicReply {
		t.Fatalf("public reply discussing the crisis: %d %+v", code, e.Error)
	}
	for _, ok := range []struct {
		id        int64
		text, vis string
	}{
		{crit, o.Crisis.PublicReply, "public"}, {crit, text, "private"}, {calm, text, "public"},
	} {
		if code := post(ok.id, ok.text, ok.vis, nil); code != 201 {
			t.Errorf("case %d, %s %q: %d, want 201", ok.id, ok.vis, ok.text, code)
		}
	}
}
