package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/analyze"
	"earshot/internal/auth"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

type harness struct {
	t      *testing.T
	srv    *httptest.Server
	st     *store.Store
	p      *ingest.Pipeline
	tokens map[string]string
	// raw reaches st's database directly, to write rows as an older
	// Earshot did.
	raw *sql.DB
}

// newHarness serves the API over a fresh store with a token per role;
// opts may change its configuration.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	st, raw := storetest.OpenRaw(t)
	reg := prometheus.NewRegistry()
	an := analyze.New()
	p := ingest.New(st, an, ingest.Options{Metrics: ingest.NewMetrics(reg)})
	cfg := Config{Store: st, Pipeline: p, Analyzer: an, Gatherer: reg, Registerer: reg}
	for _, o := range opts {
		o(&cfg)
	}
	h := New(cfg)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	hs := &harness{t: t, srv: srv, st: st, p: p, tokens: map[string]string{}, raw: raw}
	for _, role := range model.Roles {
		secret, hash := auth.NewToken()
		if err := st.CreateToken(context.Background(), &model.Token{Name: role + "-test", Role: role, Hash: hash, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		hs.tokens[role] = secret
	}
	return hs
}

// do sends a request as role ("" for no token) and decodes the JSON answer into out.
func (h *harness) do(role, method, path, body string, out any) int {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			h.t.Fatalf("%s %s: status %d, body %q: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res.StatusCode
}

// send posts body to path as role with extra headers and returns the
// status, the response headers and the body.
func (h *harness) send(role, method, path string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.StatusCode, res.Header, data
}

// org stores teams, sites, users and templates for a test.
func (h *harness) org(items ...any) {
	h.t.Helper()
	ctx := context.Background()
	for _, it := range items {
		var err error
		switch v := it.(type) {
		case model.Team:
			err = storetest.PutTeam(ctx, h.st, v)
		case model.Site:
			err = storetest.PutSite(ctx, h.st, v)
		case model.User:
			v.CreatedAt = time.Now()
			err = h.st.CreateUser(ctx, &v)
		case model.Template:
			err = storetest.PutTemplate(ctx, h.st, v)
		default:
			h.t.Fatalf("org: cannot store %T", it)
		}
		if err != nil {
			h.t.Fatal(err)
		}
	}
}

type errBody struct {
	Error struct {
		Code     string             `json:"code"`
		Message  string             `json:"message"`
		Field    string             `json:"field"`
		Findings []model.PHIFinding `json:"findings"`
		Warnings []guard.Warning    `json:"warnings"`
	} `json:"error"`
}

// resultItem reads an item of POST /api/v1/mentions's results, stored
// or refused.
type resultItem struct {
	Index     *int            `json:"index"`
	Line      int             `json:"line"`
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	Duplicate *bool           `json:"duplicate"`
	Analysis  *model.Analysis `json:"analysis"`
	Error     *apiError       `json:"error"`
}

type resultsBody struct {
	Results []resultItem `json:"results"`
}

func mentionJSON(id, handle, text string, minutes int) string {
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
	b, _ := json.Marshal(map[string]any{"platform": "x", "channel": "lonestar", "external_id": id, "text": text,
		"created_at": at.Format(time.RFC3339), "author": map[string]any{"id": "u-" + handle, "handle": handle, "followers": 12}})
	return string(b)
}

func TestAuth(t *testing.T) {
	h := newHarness(t)
	var e errBody
	if code := h.do("", "GET", "/api/v1/cases", "", &e); code != 401 || e.Error.Code != "unauthorized" {
		t.Fatalf("no token: %d %+v", code, e)
	}
	h.tokens["bogus"] = "es_not-a-real-token"
	if code := h.do("bogus", "GET", "/api/v1/cases", "", &e); code != 401 {
		t.Fatalf("bad token: %d", code)
	}
	if code := h.do(model.RoleIntegration, "GET", "/api/v1/cases", "", &e); code != 403 || e.Error.Code != "forbidden" {
		t.Fatalf("integration reading cases: %d %+v", code, e)
	}
	if code := h.do(model.RoleViewer, "POST", "/api/v1/mentions", mentionJSON("1", "a", "hi", 0), &e); code != 403 {
		t.Fatalf("viewer ingesting: %d", code)
	}
	if code := h.do(model.RoleViewer, "POST", "/api/v1/cases/1/replies", `{"text":"hi"}`, &e); code != 403 {
		t.Fatalf("viewer replying: %d", code)
	}
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("1", "a", "hi there", 0), nil); code != 201 {
		t.Fatalf("integration ingesting: %d", code)
	}
}

func TestPostMentionsForms(t *testing.T) {
	h := newHarness(t)
	var one resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("10", "ann", "Where is my ID card?", 0), &one); code != 201 {
		t.Fatalf("single: %d", code)
	}
	r := one.Results[0]
	if r.ID == 0 || r.CaseID == 0 || r.Duplicate == nil || *r.Duplicate || r.Analysis == nil || r.Analysis.Sentiment.Label == "" {
		t.Fatalf("single result %+v", r)
	}
	var dup resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("10", "ann", "Where is my ID card?", 0), &dup); code != 200 {
		t.Fatalf("duplicate: %d", code)
	}
	if d := dup.Results[0]; d.Duplicate == nil || !*d.Duplicate || d.ID != r.ID || d.CaseID != r.CaseID {
		t.Fatalf("duplicate result %+v, want ids of %+v", d, r)
	}

	arr := "[" + mentionJSON("11", "bob", "Great nurses!", 1) + "," + mentionJSON("12", "cy", "Claim denied again", 2) + "]"
	var many resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", arr, &many); code != 200 || len(many.Results) != 2 {
		t.Fatalf("array: %d %+v", code, many)
	}
	lines := mentionJSON("13", "dee", "Billing question", 3) + "\n{not json}\n" +
		`{"platform":"x","external_id":"14","text":"no time","author":{"handle":"e"}}` + "\n" + mentionJSON("15", "fay", "On hold an hour", 4) + "\n"
	var jl resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", lines, &jl); code != 200 || len(jl.Results) != 4 {
		t.Fatalf("jsonl: %d %+v", code, jl)
	}
	if jl.Results[0].ID == 0 || jl.Results[3].ID == 0 {
		t.Fatalf("good lines not stored: %+v", jl.Results)
	}
	if jl.Results[1].Error == nil || jl.Results[2].Error == nil || jl.Results[2].Error.Field != "created_at" {
		t.Fatalf("bad lines not reported: %+v %+v", jl.Results[1].Error, jl.Results[2].Error)
	}
	var e errBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", `{"platform":"x","external_id":"16","text":"x","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a","followers":"lots"}}`, &e); code != 400 || e.Error.Field != "author.followers" {
		t.Fatalf("single bad: %d %+v", code, e)
	}
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", "  ", &e); code != 400 {
		t.Fatalf("empty body: %d", code)
	}
	c, err := h.st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Mentions != 5 {
		t.Fatalf("stored %d mentions, want 5", c.Mentions)
	}
}

func TestListCasesPagesAndFilters(t *testing.T) {
	h := newHarness(t)
	var batch []string
	for i := range 7 {
		text := fmt.Sprintf("Question number %d about my coverage", i)
		if i == 3 {
			text = "My prescription refill was refused at the pharmacy"
		}
		batch = append(batch, mentionJSON(fmt.Sprint(100+i), fmt.Sprintf("user%d", i), text, i))
	}
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", strings.Join(batch, "\n"), nil); code != 200 {
		t.Fatalf("ingest: %d", code)
	}
	seen := map[int64]bool{}
	cursor := ""
	pages := 0
	for {
		var page struct {
			Cases      []model.Case `json:"cases"`
			NextCursor string       `json:"next_cursor"`
		}
		if code := h.do(model.RoleViewer, "GET", "/api/v1/cases?limit=3&cursor="+cursor, "", &page); code != 200 {
			t.Fatalf("page: %d", code)
		}
		pages++
		for _, c := range page.Cases {
			if seen[c.ID] {
				t.Fatalf("case %d on two pages", c.ID)
			}
			seen[c.ID] = true
			if c.Author.Handle == "" {
				t.Fatalf("case %d without author", c.ID)
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != 7 || pages != 3 {
		t.Fatalf("saw %d cases on %d pages, want 7 on 3", len(seen), pages)
	}
	var found struct {
		Cases []model.Case `json:"cases"`
	}
	h.do(model.RoleViewer, "GET", "/api/v1/cases?q=pharmacy", "", &found)
	if len(found.Cases) != 1 || found.Cases[0].Author.Handle != "user3" {
		t.Fatalf("search found %+v", found.Cases)
	}
	h.do(model.RoleViewer, "GET", "/api/v1/cases?q=user5", "", &found)
	if len(found.Cases) != 1 || found.Cases[0].Author.Handle != "user5" {
		t.Fatalf("author search found %d cases", len(found.Cases))
	}
	h.do(model.RoleViewer, "GET", `/api/v1/cases?q=%22OR%20*%20NEAR(`, "", &found) // FTS syntax is inert
	h.do(model.RoleViewer, "GET", "/api/v1/cases?status=resolved", "", &found)
	if len(found.Cases) != 0 {
		t.Fatalf("status filter returned %d", len(found.Cases))
	}
	var e errBody
	for _, q := range []string{"limit=0", "limit=abc", "status=lost", "priority=meh", "cursor=!!!", "cursor=Zm9v"} {
		if code := h.do(model.RoleViewer, "GET", "/api/v1/cases?"+q, "", &e); code != 400 {
			t.Errorf("%s: status %d, want 400", q, code)
		}
	}
}

func TestCaseWork(t *testing.T) {
	h := newHarness(t)
	var in resultsBody
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("500", "gil", "I got charged twice for my visit, please help", 0), &in)
	id := in.Results[0].CaseID
	path := fmt.Sprintf("/api/v1/cases/%d", id)

	var e errBody
	code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"Hi Gil, we found member ID XJH123456789 and will fix it.","visibility":"public"}`, &e)
	if code != 422 || e.Error.Code != "phi_in_public_reply" || len(e.Error.Findings) == 0 {
		t.Fatalf("public reply with a member number: %d %+v", code, e)
	}
	// A phone number written with en dashes is PHI as its ASCII form is.
	e = errBody{}
	code = h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"Please call 512\u2013555\u20130199 about it.","visibility":"public"}`, &e)
	if code != 422 || e.Error.Code != "phi_in_public_reply" || len(e.Error.Findings) != 1 || e.Error.Findings[0].Type != "phone" ||
		e.Error.Findings[0].Start != 12 || e.Error.Findings[0].End != 28 {
		t.Fatalf("public reply with an en-dashed phone number: %d %+v", code, e)
	}
	var reply model.Reply
	if code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"Hi Gil, we found member ID XJH123456789 and will fix it.","visibility":"private"}`, &reply); code != 201 {
		t.Fatalf("private reply: %d", code)
	}
	if reply.State != model.ReplyQueued || reply.Author != "token:agent-test" {
		t.Fatalf("reply %+v", reply)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"We're sorry. Please send us a DM.","visibility":"public"}`, nil); code != 201 {
		t.Fatalf("safe public reply: %d", code)
	}
	e = errBody{}
	code = h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"So sorry about your visit, please DM us.","visibility":"public"}`, &e)
	if code != 422 || e.Error.Code != "relationship_in_public_reply" || len(e.Error.Warnings) != 1 || e.Error.Warnings[0].Phrase != "your visit" {
		t.Fatalf("public reply confirming a visit: %d %+v", code, e)
	}
	reply = model.Reply{}
	if code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"So sorry about your visit, please DM us.","visibility":"public","override_reason":"the author named the visit publicly"}`, &reply); code != 201 ||
		reply.OverrideReason != "the author named the visit publicly" || reply.State != model.ReplyQueued {
		t.Fatalf("overridden reply: %d %+v", code, reply)
	}
	if err := h.st.PutSetting(context.Background(), store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	reply = model.Reply{}
	if code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"Sorry about your hospital stay, please DM us.","visibility":"public","override_reason":"asked by the author"}`, &reply); code != 201 ||
		reply.State != model.ReplyAwaitingApproval {
		t.Fatalf("overridden reply with approval on: %d %+v", code, reply)
	}
	if err := h.st.PutSetting(context.Background(), store.SettingApproval, "off"); err != nil {
		t.Fatal(err)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/replies", `{"text":"hi","visibility":"shout"}`, &e); code != 400 || e.Error.Field != "visibility" {
		t.Fatalf("bad visibility: %d %+v", code, e)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/notes", `{"text":"Called billing, refund on the way"}`, nil); code != 201 {
		t.Fatalf("note: %d", code)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/notes", `{"text":"  "}`, &e); code != 400 || e.Error.Field != "text" {
		t.Fatalf("empty note: %d", code)
	}
	var c model.Case
	h.org(model.Team{ID: "billing", Name: "Billing"}, model.Site{ID: "dallas", Name: "Dallas"}, model.User{Email: "pat@example.org", Role: model.RoleAgent})
	if code := h.do(model.RoleSupervisor, "POST", path+"/assign", `{"team":"billing","site":"dallas","assignee":"pat@example.org"}`, &c); code != 200 {
		t.Fatalf("assign: %d", code)
	}
	if c.Team != "billing" || c.Site != "dallas" || c.Assignee != "pat@example.org" {
		t.Fatalf("assigned case %+v", c)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/tasks", `{"title":"Call Gil back","due_at":"2026-04-03T15:00:00-05:00","assignee":"pat@example.org"}`, nil); code != 201 {
		t.Fatalf("task: %d", code)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/tasks", `{"title":"x","due_at":"tuesday"}`, &e); code != 400 || e.Error.Field != "due_at" {
		t.Fatalf("bad due: %d", code)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/status", `{"status":"resolved"}`, &c); code != 200 || c.Status != "resolved" {
		t.Fatalf("status: %d %q", code, c.Status)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/status", `{"status":"gone"}`, &e); code != 400 {
		t.Fatalf("bad status: %d", code)
	}
	if code := h.do(model.RoleViewer, "GET", path, "", &c); code != 200 {
		t.Fatalf("get: %d", code)
	}
	if len(c.Mentions) != 1 || len(c.Replies) != 4 || len(c.Notes) != 1 || len(c.Tasks) != 1 || c.FirstResponseAt == nil {
		t.Fatalf("case detail: %d mentions %d replies %d notes %d tasks, first response %v", len(c.Mentions), len(c.Replies), len(c.Notes), len(c.Tasks), c.FirstResponseAt)
	}
	if c.Tasks[0].DueAt == nil || !c.Tasks[0].DueAt.Equal(time.Date(2026, 4, 3, 20, 0, 0, 0, time.UTC)) {
		t.Fatalf("task due %v", c.Tasks[0].DueAt)
	}
	kinds := map[model.EventType]bool{}
	for _, ev := range c.Events {
		kinds[ev.Type] = true
	}
	for _, k := range []model.EventType{model.EventCaseOpened, model.EventReplied, model.EventNoteAdded, model.EventAssigned, model.EventTaskAdded, model.EventStatusChanged} {
		if !kinds[k] {
			t.Errorf("timeline lacks %s: %v", k, kinds)
		}
	}
	for p, want := range map[string]int{"/api/v1/cases/999999": 404, "/api/v1/cases/abc": 400, "/api/v1/nothing": 404} {
		if code := h.do(model.RoleViewer, "GET", p, "", &e); code != want {
			t.Errorf("GET %s: %d, want %d", p, code, want)
		}
	}
	if code := h.do(model.RoleAgent, "POST", "/api/v1/cases/999999/notes", `{"text":"x"}`, &e); code != 404 {
		t.Errorf("note on missing case: %d", code)
	}
}

func TestHealthMetricsSummary(t *testing.T) {
	h := newHarness(t)
	if code := h.do("", "GET", "/healthz", "", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	var ready map[string]string
	if code := h.do("", "GET", "/readyz", "", &ready); code != 200 || ready["engine"] != h.st.Engine() {
		t.Fatalf("readyz %d %v", code, ready)
	}
	h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionJSON("1", "a", "The ER wait was terrible", 0), nil)
	res, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`earshot_ingest_mentions_total{result="new"} 1`, `earshot_http_request_seconds_count{code="201",route="POST /api/v1/mentions"} 1`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	var sum struct {
		Mentions struct{ Total int64 }  `json:"mentions"`
		Cases    struct{ Opened int64 } `json:"cases"`
	}
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?from=2026-04-01&to=2026-04-02", "", &sum); code != 200 {
		t.Fatalf("summary %d", code)
	}
	if sum.Mentions.Total != 1 || sum.Cases.Opened != 1 {
		t.Fatalf("summary %+v", sum)
	}
	var e errBody
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?from=later", "", &e); code != 400 {
		t.Fatalf("bad from: %d", code)
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	h := newHarness(t)
	tok := h.tokens[model.RoleViewer]
	for _, tc := range []struct {
		hdr  string
		want int
	}{
		{"Bearer " + tok, 200},
		{"bearer " + tok, 200},
		{"BEARER " + tok, 200},
		{"Bearer   " + tok, 200},
		{"Basic " + tok, 401},
		{"Bearer", 401},
		{"Bearer ", 401},
		{"Bearer" + tok, 401},
		{tok, 401},
	} {
		code, _, body := h.send("", "GET", "/api/v1/cases", nil, map[string]string{"Authorization": tc.hdr})
		if code != tc.want {
			t.Errorf("Authorization %.12q…: %d %s, want %d", tc.hdr, code, body, tc.want)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		method, path, allow string
	}{
		{"GET", "/api/v1/mentions", "POST"},
		{"DELETE", "/api/v1/cases/2", "GET, HEAD"},
		{"PUT", "/api/v1/cases", "GET, HEAD"},
		{"GET", "/api/v1/cases/2/replies", "POST"},
		{"PATCH", "/api/v1/org", "GET, HEAD, PUT"},
		{"POST", "/healthz", "GET, HEAD"},
		{"DELETE", "/metrics", "GET, HEAD"},
	} {
		code, hdr, body := h.send(model.RoleAdmin, tc.method, tc.path, nil, nil)
		var e errBody
		if code != 405 || hdr.Get("Allow") != tc.allow || json.Unmarshal(body, &e) != nil || e.Error.Code != "method_not_allowed" {
			t.Errorf("%s %s: %d, Allow %q, body %s; want 405, Allow %q and the error envelope", tc.method, tc.path, code, hdr.Get("Allow"), body, tc.allow)
		}
	}
	if code, _, _ := h.send(model.RoleAdmin, "GET", "/api/v1/nothing", nil, nil); code != 404 {
		t.Errorf("unknown endpoint: %d, want 404", code)
	}
	if code, _, _ := h.send("", "HEAD", "/healthz", nil, nil); code != 200 {
		t.Errorf("HEAD /healthz: %d, want 200", code)
	}
}

// FuzzBearerToken holds the Authorization header reader (every API
// request and /metrics) to: a token only after the Bearer scheme, in any
// case, never empty or with white space around it, and read back the
// same from "Bearer <token>".
func FuzzBearerToken(f *testing.F) {
	f.Add("Bearer es_abc")
	f.Add("bearer  tok ")
	f.Add("Basic dXNlcg==")
	f.Add("Bearer")
	f.Fuzz(func(t *testing.T, hdr string) {
		tok, ok := bearerToken(hdr)
		if !ok {
			if tok != "" {
				t.Fatalf("bearerToken(%q) = %q without ok", hdr, tok)
			}
			return
		}
		if tok == "" || strings.TrimSpace(tok) != tok {
			t.Fatalf("bearerToken(%q) = %q", hdr, tok)
		}
		if scheme, _, _ := strings.Cut(strings.TrimSpace(hdr), " "); !strings.EqualFold(scheme, "Bearer") {
			t.Fatalf("bearerToken(%q) = %q under the scheme %q", hdr, tok, scheme)
		}
		if again, ok := bearerToken("Bearer " + tok); !ok || again != tok {
			t.Fatalf("bearerToken(%q) = %q, but Bearer %q reads %q", hdr, tok, tok, again)
		}
	})
}
