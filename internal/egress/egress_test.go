package egress_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"earshot/internal/egress"
)

// server counts the requests it receives and answers with h.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func post(t *testing.T, c *http.Client, url string) error {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	return egress.Send(c, req)
}

// TestClientRefusesInnerAddressesWhenConnecting checks the address a
// connection goes to, after DNS: a name that resolves to loopback is
// refused as surely as the address itself, and nothing reaches the
// server; allowing private addresses reaches it.
func TestClientRefusesInnerAddressesWhenConnecting(t *testing.T) {
	srv, got := server(t, func(http.ResponseWriter, *http.Request) {})
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	for _, u := range []string{srv.URL, "http://localhost" + port + "/hook"} {
		err := post(t, egress.Policy{}.Client(0), u)
		var re *egress.RefusedError
		if !errors.As(err, &re) || re.Class != egress.Loopback {
			t.Errorf("POST %s = %v, want a loopback refusal", u, err)
		}
	}
	if got.Load() != 0 {
		t.Fatalf("%d requests reached the server", got.Load())
	}
	for _, p := range []egress.Policy{{AllowPrivate: true}, {Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}} {
		if err := post(t, p.Client(0), "http://localhost"+port+"/hook"); err != nil {
			t.Errorf("POST with %+v: %v", p, err)
		}
	}
	if got.Load() != 2 {
		t.Errorf("%d requests reached the server with leave, want 2", got.Load())
	}
}

// TestClientDoesNotFollowRedirects sends a request to a server that
// redirects to an inner address: the redirect is the answer, a failure
// with its status, and the inner address hears nothing.
func TestClientDoesNotFollowRedirects(t *testing.T) {
	inner, innerGot := server(t, func(http.ResponseWriter, *http.Request) {})
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		outer, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, inner.URL+"/latest/meta-data/", code)
		})
		err := post(t, egress.Policy{AllowPrivate: true}.Client(0), outer.URL)
		var se *egress.StatusError
		if !errors.As(err, &se) || se.Code != code || !strings.Contains(err.Error(), "redirects are not followed") {
			t.Errorf("redirect %d: %v", code, err)
		}
	}
	if innerGot.Load() != 0 {
		t.Errorf("the redirect was followed %d times", innerGot.Load())
	}
}

// TestSendKeepsTheStatusNotTheBody: what a server answers may be
// anything (an internal page, a secret); only its status is kept.
func TestSendKeepsTheStatusNotTheBody(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "AKIA-SECRET-KEY internal stack trace")
	})
	err := post(t, egress.Policy{AllowPrivate: true}.Client(0), srv.URL+"/services/T0/B0/webhook-secret?token=s3cret")
	var se *egress.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusBadRequest {
		t.Fatalf("Send = %v, want HTTP 400", err)
	}
	for _, leak := range []string{"AKIA", "stack trace", "webhook-secret", "s3cret"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q carries %q", err, leak)
		}
	}
	if want := "POST " + srv.URL + ": HTTP 400 Bad Request"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestClientSendsUserAgent(t *testing.T) {
	var ua atomic.Value
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) { ua.Store(r.UserAgent()) })
	if err := post(t, egress.Policy{AllowPrivate: true}.Client(0), srv.URL); err != nil {
		t.Fatal(err)
	}
	if ua.Load() != egress.UserAgent {
		t.Errorf("User-Agent %q, want %q", ua.Load(), egress.UserAgent)
	}
}
