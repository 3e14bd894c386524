package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/egress"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
)

// TestE2ESettingsKeepAlertsOutOfOurNetwork: in the browser, an admin who
// points a webhook at the cloud metadata address is told which line and
// field, and nothing is applied; an alert that a target refused is
// listed under failed alerts with its HTTP status, not the target's
// answer.
func TestE2ESettingsKeepAlertsOutOfOurNetwork(t *testing.T) {
	h := newHarness(t)
	tb := newTab(t, h)
	tb.signIn("admin")
	tb.run(chromedp.Navigate(h.srv.URL + "/settings"))
	tb.waitReady()
	tb.setValue("#source", "organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: webhook, url: \"http://169.254.169.254/latest/meta-data/\"}\n")
	tb.submit("#source")
	if txt := tb.text("main"); !strings.Contains(txt, "Nothing was changed") || !strings.Contains(txt, "Line 4 · alerts[0].url: 169.254.169.254 is a link-local address") {
		t.Fatalf("settings after a metadata target:\n%s", txt)
	}
	if _, err := h.st.LoadOrg(context.Background()); err == nil {
		t.Fatal("the file was applied")
	}

	// A target (allowed here: it is a test server on loopback) that
	// answers 403 with a secret in its body.
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "internal-credential-XYZ")
	}))
	t.Cleanup(target.Close)
	file := fmt.Sprintf("organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: webhook, url: %q}\n", target.URL+"/hook")
	deliverAlert(t, h.st, file)
	tb.run(chromedp.Navigate(h.srv.URL + "/settings"))
	tb.waitReady()
	txt := tb.text("main")
	if !strings.Contains(txt, "alert target hook refused: POST "+target.URL+": HTTP 403 Forbidden") || strings.Contains(txt, "internal-credential") {
		t.Fatalf("failed alerts:\n%s", txt)
	}
}

// deliverAlert applies file as a stored organisation file and runs one
// alert job to its target "hook", allowing private targets.
func deliverAlert(t *testing.T, st *store.Store, file string) {
	t.Helper()
	ctx := context.Background()
	inside := egress.Policy{AllowPrivate: true}
	o, err := org.ParseWith([]byte(file), org.Options{Egress: inside})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := st.ApplyOrg(ctx, []byte(file), o, "test", now); err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(r)
	payload, _ := json.Marshal(model.Alert{Target: "hook", Event: "sla_breach", CaseID: 1, Reason: "first response overdue", At: now})
	if _, err := st.EnqueueJobs(ctx, now, store.NewJob{Kind: model.JobKindAlert, Payload: payload, DedupeKey: "a1", RunAt: now}); err != nil {
		t.Fatal(err)
	}
	runner := jobs.New(st, jobs.Options{})
	runner.Handle(model.JobKindAlert, notify.New(notify.Options{Egress: inside}).Handler(live))
	if _, err := runner.Tick(ctx); err != nil {
		t.Fatal(err)
	}
}
