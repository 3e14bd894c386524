package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/notify/smtptest"
	"earshot/internal/store"
)

const reportOrg = `organization: Lone Star Health Plan
timezone: America/Chicago
smtp: {host: 127.0.0.1, port: %d, tls: none, from: earshot@example.org}
reports:
  weekly: {to: [comms@example.org], day: monday, at: "08:00"}
`

// TestReportWeekly previews the weekly email of a week into an .eml and
// an .html file, then sends it to --to through the organisation's mail
// server (a double on loopback, allowed with --allow-private-targets).
func TestReportWeekly(t *testing.T) {
	env, cfg := storeEnv(t)
	srv := smtptest.Start(t)
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "org.yaml")
	os.WriteFile(orgFile, fmt.Appendf(nil, reportOrg, srv.Port()), 0o600)
	if code, out, stderr := run(t, env, "", "report", "weekly", "--out", filepath.Join(dir, "none.eml")); code != 1 || !strings.Contains(stderr, "no organisation file is applied") {
		t.Fatalf("before apply: exit %d, out %q, err %q", code, out, stderr)
	}
	if code, out, stderr := run(t, env, "", "apply", "--allow-private-targets", "-f", orgFile); code != 0 {
		t.Fatalf("apply: exit %d, out %q, err %q", code, out, stderr)
	}
	// Two mentions in the week of Monday 2 March 2026 (08:00 CST, 14:00
	// UTC, to Monday 9 March 08:00 CDT, 13:00 UTC), one the week before.
	ctx := context.Background()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.New(st, analyze.New(), ingest.Options{})
	var ms []*model.Mention
	for i, at := range []string{"2026-02-25T15:00:00Z", "2026-03-03T15:00:00Z", "2026-03-09T12:59:00Z"} {
		ts, _ := time.Parse(time.RFC3339, at)
		ms = append(ms, &model.Mention{Platform: "x", ExternalID: fmt.Sprint(i), Kind: "post", Direction: "inbound", Text: "Thank you, wonderful nurses",
			CreatedAt: ts, Author: model.Author{ID: fmt.Sprint("a", i), Handle: fmt.Sprint("h", i)},
			Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: "positive", Score: 0.9}, Urgency: model.Urgency{Level: "low"}}})
	}
	if _, err := p.Store(ctx, ms); err != nil {
		t.Fatal(err)
	}
	st.Close()

	eml := filepath.Join(dir, "week.eml")
	code, out, stderr := run(t, env, "", "report", "weekly", "--week", "2026-03-02", "--out", eml)
	if code != 0 || !strings.Contains(out, "Wrote the weekly report") {
		t.Fatalf("--out .eml: exit %d, out %q, err %q", code, out, stderr)
	}
	data, _ := os.ReadFile(eml)
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if s := msg.Header.Get("Subject"); s != "[Earshot] Weekly report: Lone Star Health Plan, 2 Mar to 8 Mar 2026" {
		t.Errorf("subject %q", s)
	}
	for _, want := range []string{"To: <comms@example.org>",
		"multipart/related", "multipart/alternative", "text/plain", "text/html", "Content-Id: <volume.png>", "image/png",
		"- Mentions: 2 (+1)"} {
		if !strings.Contains(string(data), want) {
			t.Errorf(".eml lacks %q", want)
		}
	}
	html := filepath.Join(dir, "week.html")
	if code, _, stderr := run(t, env, "", "report", "weekly", "--week", "2026-03-02", "--out", html); code != 0 {
		t.Fatalf("--out .html: exit %d, err %q", code, stderr)
	}
	page, _ := os.ReadFile(html)
	if !strings.HasPrefix(string(page), "<!DOCTYPE html>") || !strings.Contains(string(page), `src="data:image/png;base64,`) || strings.Contains(string(page), "cid:") {
		t.Errorf(".html preview:\n%.400s", page)
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("--out sent an email")
	}

	code, out, stderr = run(t, env, "", "report", "weekly", "--week", "2026-03-02", "--to", "cmo@example.org, ceo@example.org", "--allow-private-targets")
	if code != 0 || !strings.Contains(out, "Sent the weekly report") {
		t.Fatalf("send: exit %d, out %q, err %q", code, out, stderr)
	}
	got := srv.Messages()
	if len(got) != 1 || !slices.Equal(got[0].To, []string{"cmo@example.org", "ceo@example.org"}) || !strings.Contains(got[0].Data, "2 Mar to 8 Mar 2026") {
		t.Fatalf("sent: %+v", got)
	}
	// The mail server on loopback needs the operator's leave.
	if code, _, stderr := run(t, env, "", "report", "weekly", "--week", "2026-03-02"); code != 1 || !strings.Contains(stderr, "loopback") || !strings.Contains(stderr, "--allow-private-targets") {
		t.Errorf("send to loopback without leave: exit %d, err %q", code, stderr)
	}
	for _, args := range [][]string{
		{"report", "weekly", "--week", "2026-3-2"},
		{"report", "weekly", "--to", "Comms <comms@example.org>"},
		{"report", "weekly", "--to", "comms"},
		{"report", "weekly", "extra"},
		{"report", "monthly"},
	} {
		if code, _, stderr := run(t, env, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%q)", args, code, stderr)
		}
	}
}
