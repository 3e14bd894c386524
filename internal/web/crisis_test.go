package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
)

const crisisReply = "We're concerned and want to help. Please call or text 988 now, or send us a direct message."

const crisisOrgFile = `organization: Lone Star Health
timezone: America/Chicago
contact:
  phones: ["+1 512-555-0100"]
  emails: [care@lonestarhealth.example]
crisis:
  call:
    - {name: Nurse line supervisor, phone: "+1 (512) 555-0142"}
    - {name: Risk manager, email: risk@lonestarhealth.example}
  steps:
    - Call 911 if the post gives an address and an immediate threat.
    - Reply privately with the 988 Suicide & Crisis Lifeline.
  public_reply: "` + crisisReply + `"
`

// atRisk is a post of a person at risk now, which the analyzer marks
// critical.
const atRisk = "I have the pills in my hand and I want to die tonight"

// crisisHarness is newHarness with orgFile in force for the web app and
// the API (their case service and guard), as serve has it.
func crisisHarness(t *testing.T, orgFile string) *harness {
	t.Helper()
	o, err := org.Parse([]byte(orgFile))
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(r)
	return newHarness(t, func(c *Config) {
		c.Cases = cases.NewService(c.Store, live, guard.New(c.Analyzer, guard.WithContacts(cases.Contacts(live))), c.Now)
	})
}

// criticalCase posts atRisk and returns its case, which must be
// critical, and the labels of its urgency reasons.
func criticalCase(t *testing.T, h *harness) (int64, []string) {
	t.Helper()
	id := h.mention("900", "dana_r", atRisk)
	c, err := h.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Urgency != model.UrgencyCritical || len(c.Mentions) != 1 || c.Mentions[0].Analysis == nil {
		t.Fatalf("the analyzer reads a person at risk now as %s urgency", c.Urgency)
	}
	var labels []string
	for _, r := range c.Mentions[0].Analysis.Urgency.Reasons {
		labels = append(labels, analyze.ReasonLabel(r))
	}
	return id, labels
}

// TestCrisisPanelShowsTheProtocolOnCriticalCases: the page of a critical
// case opens with the crisis panel: its reasons in an agent's words, who
// to call (tel: and mailto: links), the steps and the public reply with
// its button; a case that is not critical has none, and without a
// protocol the panel says the file has none.
func TestCrisisPanelShowsTheProtocolOnCriticalCases(t *testing.T) {
	h := crisisHarness(t, crisisOrgFile)
	id, labels := criticalCase(t, h)
	calm := h.mention("901", "bo", "Where is my new card?")
	agent := h.signIn(model.RoleAgent)
	_, page := h.get(agent, fmt.Sprintf("/cases/%d", id))
	panelAt, headAt := strings.Index(page, `id="crisis"`), strings.Index(page, `class="case-head"`)
	if panelAt < 0 || panelAt > headAt {
		t.Fatalf("no crisis panel above the case's head:\n%s", page)
	}
	for _, want := range append([]string{
		`<a href="tel:&#43;15125550142">&#43;1 (512) 555-0142</a>`, `<a href="mailto:risk@lonestarhealth.example">risk@lonestarhealth.example</a>`,
		"Nurse line supervisor", "Risk manager", "<li>Call 911 if the post gives an address and an immediate threat.</li>",
		"<li>Reply privately with the 988 Suicide &amp; Crisis Lifeline.</li>", html.EscapeString(crisisReply),
		`id="use-crisis-reply"`, "Never discuss the crisis in a public reply",
	}, labels...) {
		if !strings.Contains(page, want) && !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("the crisis panel lacks %q:\n%s", want, page[panelAt:headAt])
		}
	}
	if len(labels) == 0 {
		t.Error("the critical post has no urgency reasons")
	}
	viewer := h.signIn(model.RoleViewer)
	if _, vp := h.get(viewer, fmt.Sprintf("/cases/%d", id)); !strings.Contains(vp, `id="crisis"`) || strings.Contains(vp, `id="use-crisis-reply"`) {
		t.Error("a viewer sees the panel without the button to reply")
	}
	if _, cp := h.get(agent, fmt.Sprintf("/cases/%d", calm)); strings.Contains(cp, `id="crisis"`) {
		t.Error("a case that is not critical shows the crisis panel")
	}

	bare := crisisHarness(t, "organization: T\ntimezone: UTC\n")
	bid, _ := criticalCase(t, bare)
	_, bp := bare.get(bare.signIn(model.RoleAgent), fmt.Sprintf("/cases/%d", bid))
	if !strings.Contains(bp, `id="crisis-none"`) || strings.Contains(bp, `id="crisis-call"`) {
		t.Errorf("without a protocol the panel should say so:\n%s", bp)
	}
}

// TestComposerRefusesACrisisReply: on a critical case the composer
// refuses a public reply that discusses the crisis, marking the words,
// saying why and offering the protocol's public reply; that reply, and
// a private one, go.
func TestComposerRefusesACrisisReply(t *testing.T) {
	h := crisisHarness(t, crisisOrgFile)
	id, _ := criticalCase(t, h)
	agent := h.signIn(model.RoleAgent)
	path := fmt.Sprintf("/cases/%d/reply", id)
	code, _, page := h.post(agent, path, url.Values{"text": {"We're so sorry, please don't hurt yourself. DM us."}, "visibility": {"public"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "a public reply must not discuss it") ||
		!strings.Contains(page, `<mark class="phi" title="Discusses the crisis">hurt yourself</mark>`) ||
		!strings.Contains(page, "<q>hurt yourself</q>: "+html.EscapeString(cases.CrisisWhy)) ||
		!strings.Contains(page, `id="suggestion-text">`+html.EscapeString(crisisReply)+"</blockquote>") || !strings.Contains(page, `id="use-suggestion"`) {
		t.Fatalf("refused crisis reply: %d\n%s", code, page)
	}
	for _, ok := range []url.Values{
		{"text": {crisisReply}, "visibility": {"public"}, "confirm": {"1"}},
		{"text": {"We're so sorry about the overdose. A nurse will call you now."}, "visibility": {"private"}, "confirm": {"1"}},
	} {
		if code, loc, _ := h.post(agent, path, ok); code != http.StatusSeeOther || !strings.Contains(loc, "done=") {
			t.Errorf("%v: %d %s", ok, code, loc)
		}
	}
}

// TestComposerListsReasonsAndSuggestion renders the composer for guard
// verdicts built by hand: each reason is listed with its words, the
// words are marked, the suggested rewrite comes with its button, and
// all of it escaped; a verdict without reasons lists one per finding in
// plain words and offers no suggestion.
func TestComposerListsReasonsAndSuggestion(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "Where is my new card?")
	u, err := h.st.UserByEmail(context.Background(), "agent@example.org")
	if err != nil {
		t.Fatal(err)
	}
	render := func(text string, ref *cases.Refusal) (int, string) {
		req := httptest.NewRequest("POST", fmt.Sprintf("/cases/%d/reply", id), nil)
		req = req.WithContext(context.WithValue(req.Context(), userKey{}, &signedIn{User: u}))
		comp := composer{Text: text, Visibility: "public"}
		status := h.app.composerRefusal(&comp, req, text, ref)
		rec := httptest.NewRecorder()
		h.app.renderCase(rec, req, id, status, comp)
		return rec.Code, rec.Body.String()
	}
	text := "Sorry about your mother's <b>stroke</b> care, please DM us."
	s := strings.Index(text, "your mother's")
	e := strings.Index(text, " care") + len(" care")
	reason := guard.Reason{Kind: "relative_care", Phrase: text[s:e], Start: s, End: e, Why: `names a relative's condition: say "your concern" <i>`}
	phi := guard.Result{Blocked: true, PHI: []model.PHIFinding{{Type: "condition", Start: strings.Index(text, "<b>"), End: strings.Index(text, " care")}},
		Reasons: []guard.Reason{reason}, Suggestion: "Sorry about your <concern>, please DM us."}
	code, page := render(text, &cases.Refusal{Code: guard.RefusedPHI, Guard: &guard.Refusal{Code: guard.RefusedPHI, Result: phi}})
	for _, want := range []string{
		`<mark class="phi" title="Health information (relative_care)">your mother&#39;s &lt;b&gt;stroke&lt;/b&gt; care</mark>`,
		`<ul class="reasons" id="reasons" aria-label="Why"><li><q>your mother&#39;s &lt;b&gt;stroke&lt;/b&gt; care</q>: names a relative&#39;s condition: say &#34;your concern&#34; &lt;i&gt;</li></ul>`,
		`id="suggestion-text">Sorry about your &lt;concern&gt;, please DM us.</blockquote>`, `<button type="button" class="use-suggestion" id="use-suggestion">Use suggestion</button>`,
	} {
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("%d: the page lacks %s", code, want)
		}
	}
	if strings.Contains(page, "<b>stroke") || strings.Contains(page, "<concern>") || strings.Contains(page, "<i>") {
		t.Error("text of the reply or the guard reached the page unescaped")
	}

	rel := guard.Result{Warnings: []guard.Warning{{Phrase: "your visit", Start: 10, End: 20}}}
	_, page = render("Sorry for your visit, DM us.", &cases.Refusal{Code: guard.RefusedRelationship, Guard: &guard.Refusal{Code: guard.RefusedRelationship, Result: rel}})
	if !strings.Contains(page, `<mark class="phi" title="Confirms a relationship">your visit</mark>`) ||
		!strings.Contains(page, "<q>your visit</q>: confirms that the person is a patient or member") || strings.Contains(page, `id="suggestion"`) {
		t.Errorf("relationship without reasons from the guard:\n%s", page)
	}
	ssn := "SSN 123-45-6789 is on file."
	bare := guard.Result{Blocked: true, PHI: []model.PHIFinding{{Type: analyze.PHISSN, Start: 4, End: 15}}}
	_, page = render(ssn, &cases.Refusal{Code: guard.RefusedPHI, Guard: &guard.Refusal{Code: guard.RefusedPHI, Result: bare}})
	if !strings.Contains(page, "<q>123-45-6789</q>: health information (SSN) in public") || strings.Contains(page, `id="use-suggestion"`) {
		t.Errorf("health information without reasons from the guard:\n%s", page)
	}
}

// TestGuardEndpointChecksTheCrisisRule: the composer's live check of a
// reply for a critical case marks the words that discuss the crisis in
// a public reply, and nothing for a private one, for the protocol's own
// reply, or without the flag.
func TestGuardEndpointChecksTheCrisisRule(t *testing.T) {
	h := crisisHarness(t, crisisOrgFile)
	a := h.signIn("agent")
	check := func(body map[string]any) map[string]json.RawMessage {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", h.srv.URL+"/guard", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		res, err := a.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
			t.Fatalf("guard %s: %d %v", b, res.StatusCode, err)
		}
		return out
	}
	text := "So sorry about the overdose, please DM us."
	var crisis []guard.Reason
	if err := json.Unmarshal(check(map[string]any{"text": text, "visibility": "public", "crisis": true})["crisis"], &crisis); err != nil ||
		len(crisis) != 1 || crisis[0].Phrase != "overdose" || text[crisis[0].Start:crisis[0].End] != "overdose" || crisis[0].Kind != cases.ReasonCrisis {
		t.Errorf("public reply on a critical case: %+v %v", crisis, err)
	}
	for _, body := range []map[string]any{
		{"text": text, "visibility": "private", "crisis": true},
		{"text": crisisReply, "visibility": "public", "crisis": true},
		{"text": text, "visibility": "public"},
	} {
		if got := check(body)["crisis"]; got != nil {
			t.Errorf("%v: crisis %s", body, got)
		}
	}
}
