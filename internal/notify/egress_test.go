package notify_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/egress"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/notify/smtptest"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// deliverOnce runs one alert job for target "t" of the organisation file
// src (loaded as a stored file, as if applied while private targets
// were allowed) under policy p, and returns the dead-lettered jobs.
func deliverOnce(t *testing.T, src string, p egress.Policy) []store.Job {
	t.Helper()
	ctx := context.Background()
	o, err := org.ParseStored([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	now := func() time.Time { return t0 }
	runner := jobs.New(st, jobs.Options{Now: now})
	runner.Handle(model.JobKindAlert, notify.New(notify.Options{Now: now, Egress: p, SMTPTimeout: 5 * time.Second}).Handler(route.NewLive(r)))
	if _, err := st.EnqueueJobs(ctx, t0, alertJob("t", "k", t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	dead, err := st.DeadJobs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	return dead
}

// TestDeliveriesToOurOwnNetworkAreRefused: a target on loopback, by
// address or by a name that resolves there, is refused when connecting
// unless the server allows private targets; the job is dead at once,
// saying why, and the target hears nothing.
func TestDeliveriesToOurOwnNetworkAreRefused(t *testing.T) {
	var got atomic.Int32
	rec := newRecorder(t, http.StatusOK)
	rec.srv.Config.Handler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got.Add(1) })
	port := rec.srv.URL[strings.LastIndexByte(rec.srv.URL, ':'):]
	for _, typ := range []string{org.TargetWebhook, org.TargetSlack, org.TargetTeams} {
		for _, u := range []string{rec.srv.URL + "/hook", "http://localhost" + port + "/hook"} {
			src := fmt.Sprintf("organization: T\ntimezone: UTC\nalerts:\n  - {id: t, type: %s, url: %q}\n", typ, u)
			before := got.Load()
			dead := deliverOnce(t, src, egress.Policy{})
			if len(dead) != 1 || dead[0].Attempts != 1 || !strings.Contains(dead[0].LastError, "loopback address") ||
				!strings.Contains(dead[0].LastError, "EARSHOT_ALLOW_PRIVATE_TARGETS") {
				t.Errorf("%s %s: dead letters %+v, want one saying loopback", typ, u, dead)
			}
			if got.Load() != before {
				t.Fatalf("%s %s reached the target", typ, u)
			}
			if dead := deliverOnce(t, src, inside()); len(dead) != 0 {
				t.Errorf("%s %s with private targets allowed: %+v", typ, u, dead)
			}
		}
	}
	if got.Load() != 6 {
		t.Errorf("%d deliveries with private targets allowed, want 6", got.Load())
	}

	smtp := smtptest.Start(t)
	src := fmt.Sprintf("organization: T\ntimezone: UTC\nsmtp: {host: localhost, port: %d, tls: none, from: e@example.org}\nalerts:\n  - {id: t, type: email, to: [a@example.org]}\n", smtp.Port())
	if dead := deliverOnce(t, src, egress.Policy{}); len(dead) != 1 || !strings.Contains(dead[0].LastError, "loopback address") {
		t.Errorf("email through a loopback relay: dead letters %+v", dead)
	}
	if n := len(smtp.Messages()); n != 0 {
		t.Errorf("%d emails reached the loopback relay", n)
	}
}

// TestDeadLettersKeepTheStatusNotTheAnswer: what a target answers may be
// an internal page or a secret; supervisors see our words and the HTTP
// status only. A redirect is not followed: it dead-letters with its
// status and the address it points to hears nothing.
func TestDeadLettersKeepTheStatusNotTheAnswer(t *testing.T) {
	var inner atomic.Int32
	in := newRecorder(t, http.StatusOK)
	in.srv.Config.Handler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { inner.Add(1) })
	rec := newRecorder(t, http.StatusOK)
	rec.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, in.srv.URL+"/latest/meta-data/iam", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"AccessKeyId":"ASIA-SECRET","Token":"internal-token"}`)
	})
	for _, tc := range []struct {
		path, want string
	}{
		{"/services/T0/B0/hook-secret", "HTTP 403 Forbidden"},
		{"/redirect", "HTTP 302 Found (redirects are not followed"},
	} {
		src := fmt.Sprintf("organization: T\ntimezone: UTC\nalerts:\n  - {id: t, type: webhook, url: %q}\n", rec.srv.URL+tc.path)
		dead := deliverOnce(t, src, inside())
		if len(dead) != 1 || dead[0].Attempts != 1 {
			t.Fatalf("%s: dead letters %+v, want one after one attempt", tc.path, dead)
		}
		msg := dead[0].LastError
		if !strings.HasPrefix(msg, "alert target t refused: POST "+rec.srv.URL+": "+tc.want) {
			t.Errorf("%s: last error %q, want %q", tc.path, msg, tc.want)
		}
		for _, leak := range []string{"ASIA-SECRET", "internal-token", "hook-secret", "meta-data"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: last error %q keeps %q", tc.path, msg, leak)
			}
		}
	}
	if inner.Load() != 0 {
		t.Errorf("the redirect was followed")
	}
}

// TestEmailOverImplicitTLSSpeaksTLS: with tls: tls the mail server is
// reached through the Egress dialer and still greeted with a TLS
// handshake, not plain SMTP.
func TestEmailOverImplicitTLSSpeaksTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	first := make(chan byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		// A TLS client speaks first; an SMTP client waits for the
		// server's greeting until its timeout and then hangs up.
		b := make([]byte, 1)
		if _, err := io.ReadFull(c, b); err != nil {
			b[0] = 0
		}
		first <- b[0]
	}()
	src := fmt.Sprintf("organization: T\ntimezone: UTC\nsmtp: {host: 127.0.0.1, port: %d, tls: tls, from: e@example.org}\nalerts:\n  - {id: t, type: email, to: [a@example.org]}\n",
		ln.Addr().(*net.TCPAddr).Port)
	deliverOnce(t, src, inside())
	if b := <-first; b != 0x16 { // a TLS handshake record
		t.Errorf("the mail client opened with byte %#x, want a TLS handshake (0x16)", b)
	}
}
