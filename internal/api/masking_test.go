package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"earshot/internal/model"
	"earshot/internal/redact/redacttest"
)

// lockedBuffer is a log sink the server writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// masked is s as a masked reader reads it: each seeded value replaced by
// its label.
func masked(s string) string {
	raw, labels := redacttest.Raw(), redacttest.Labels()
	for i := range raw {
		s = strings.ReplaceAll(s, raw[i], labels[i])
	}
	return s
}

// Every endpoint that returns a case's text answers each role by the one
// masking policy: roles that work cases read the health information,
// viewers read labels in its place, and integrations read nothing.
func TestEndpointsMaskHealthInformationByRole(t *testing.T) {
	h := newHarness(t)
	c := redacttest.SeedCase(t, h.st, h.p, "")
	path := func(suffix string) string { return fmt.Sprintf("/api/v1/cases/%d%s", c.ID, suffix) }
	endpoints := []struct {
		name, method, path, body string
		// work: only roles that work cases may call it; text: its answer
		// carries the seeded values.
		work, text bool
	}{
		{"list", "GET", "/api/v1/cases", "", false, true},
		{"search", "GET", "/api/v1/cases?q=claim", "", false, true},
		{"case", "GET", path(""), "", false, true},
		{"report", "GET", "/api/v1/reports/summary", "", false, false},
		{"status", "POST", path("/status"), `{"status":"open"}`, true, true},
		{"assign", "POST", path("/assign"), `{"assignee":""}`, true, true},
		{"reply", "POST", path("/replies"), `{"text":"` + redacttest.Text("Noted: your") + `","visibility":"private"}`, true, true},
		{"note", "POST", path("/notes"), `{"text":"` + redacttest.Text("Spoke to them:") + `"}`, true, true},
		{"task", "POST", path("/tasks"), `{"title":"` + redacttest.Text("Call back:") + `"}`, true, true},
	}
	for _, role := range model.Roles {
		full := role != model.RoleViewer && role != model.RoleIntegration
		for _, ep := range endpoints {
			t.Run(role+"/"+ep.name, func(t *testing.T) {
				code, _, body := h.send(role, ep.method, ep.path, []byte(ep.body), nil)
				allowed := role != model.RoleIntegration && (full || !ep.work)
				if !allowed {
					if code != http.StatusForbidden {
						t.Fatalf("status %d, want 403", code)
					}
					return
				}
				if code != http.StatusOK && code != http.StatusCreated {
					t.Fatalf("status %d: %s", code, body)
				}
				for i, raw := range redacttest.Raw() {
					switch shown := bytes.Contains(body, []byte(raw)); {
					case full && ep.text && !shown:
						t.Errorf("%s does not read %q", role, raw)
					case !full && shown:
						t.Errorf("%s reads %q", role, raw)
					case !full && ep.text && !bytes.Contains(body, []byte(redacttest.Labels()[i])):
						t.Errorf("%s does not read the label %q in place of %q", role, redacttest.Labels()[i], raw)
					}
				}
			})
		}
	}
}

// A masked reader's case has every text masked, the analysis's phi
// offsets on the labels of the masked text, and member identifiers cut
// to their last four characters; a full reader's has them as stored.
func TestCaseFieldsAsEachRoleReadsThem(t *testing.T) {
	logs := &lockedBuffer{}
	h := newHarness(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	seeded := redacttest.SeedCase(t, h.st, h.p, "")
	for _, tc := range []struct {
		role string
		full bool
	}{{model.RoleAdmin, true}, {model.RoleSupervisor, true}, {model.RoleAgent, true}, {model.RoleViewer, false}} {
		t.Run(tc.role, func(t *testing.T) {
			read := func(s string) string {
				if tc.full {
					return s
				}
				return masked(s)
			}
			var c model.Case
			if code := h.do(tc.role, "GET", fmt.Sprintf("/api/v1/cases/%d", seeded.ID), "", &c); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if len(c.Mentions) != 1 || len(c.Replies) != 2 || len(c.Notes) != 1 || len(c.Tasks) != 1 {
				t.Fatalf("case: %d mentions, %d replies, %d notes, %d tasks", len(c.Mentions), len(c.Replies), len(c.Notes), len(c.Tasks))
			}
			m := c.Mentions[0]
			if want := read(redacttest.Text("Hi, my")); m.Text != want {
				t.Errorf("mention text %q, want %q", m.Text, want)
			}
			if c.Summary != read(redacttest.Text("Hi, my")) {
				t.Errorf("summary %q", c.Summary)
			}
			if m.Analysis == nil || len(m.Analysis.PHI) != len(redacttest.Raw()) {
				t.Fatalf("mention analysis %+v", m.Analysis)
			}
			for _, f := range m.Analysis.PHI {
				if f.Start < 0 || f.End > len(m.Text) || f.Start >= f.End {
					t.Fatalf("finding %+v outside the text %q", f, m.Text)
				}
				at := m.Text[f.Start:f.End]
				if !tc.full && at != "["+strings.ReplaceAll(f.Type, "_", " ")+"]" {
					t.Errorf("finding %+v marks %q in the masked text, not its label", f, at)
				}
				if tc.full && !strings.Contains(strings.Join(redacttest.Raw(), " "), at) {
					t.Errorf("finding %+v marks %q, not a seeded value", f, at)
				}
			}
			rp := c.Replies[0]
			if rp.Text != read(redacttest.Text("Thanks. We have your")) || rp.OverrideReason != read(redacttest.Text("They asked us to confirm the")) {
				t.Errorf("reply %q, override reason %q", rp.Text, rp.OverrideReason)
			}
			if c.Notes[0].Text != read(redacttest.Text("Checked: the")) {
				t.Errorf("note %q", c.Notes[0].Text)
			}
			if c.Tasks[0].Title != read(redacttest.Text("Call back, the")) {
				t.Errorf("task %q", c.Tasks[0].Title)
			}
			memberID := redacttest.MemberID
			if !tc.full {
				memberID = redacttest.MaskedMemberID
			}
			found := map[string]string{}
			for _, e := range c.Events {
				var data map[string]any
				json.Unmarshal(e.Data, &data)
				for _, k := range []string{"title", "reason", "member_id"} {
					if v, ok := data[k].(string); ok {
						found[string(e.Type)+"."+k] = v
					}
				}
			}
			want := map[string]string{
				"task_added.title": read(redacttest.Text("Call back, the")), "reply_rejected.reason": read(redacttest.Text("Not in public: the")),
				"member_linked.member_id": memberID,
			}
			for k, v := range want {
				if found[k] != v {
					t.Errorf("event %s = %q, want %q", k, found[k], v)
				}
			}
			logged := strings.Contains(logs.String(), `msg="member record viewed" by=token:`+tc.role+"-test")
			if logged != tc.full {
				t.Errorf("member record view logged: %v, want %v; log:\n%s", logged, tc.full, logs.String())
			}
			if strings.Contains(logs.String(), redacttest.MemberID) {
				t.Error("the log holds the member identifier")
			}
		})
	}
}
