package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestPublicURLSecureCookies checks the session cookie behind a proxy
// that terminates TLS: with an https public URL the cookie is Secure and
// __Host- prefixed although requests arrive over plain HTTP, HSTS is on,
// and the public origin passes the cross-origin check even when the
// proxy rewrites Host.
func TestPublicURLSecureCookies(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name       string
		publicURL  string
		wantCookie string
		wantSecure bool
	}{
		{"no public URL, plain HTTP", "", sessionCookie, false},
		{"http public URL", "http://care.example.org", sessionCookie, false},
		{"https public URL", "https://care.example.org", secureSessionCookie, true},
		{"https public URL with port and slash", "https://care.example.org:8443/", secureSessionCookie, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, err := New(Config{Store: h.st, PublicURL: tt.publicURL})
			if err != nil {
				t.Fatal(err)
			}
			defer app.Close()
			origin := strings.TrimSuffix(tt.publicURL, "/")
			form := url.Values{"email": {"agent@example.org"}, "password": {testPassword}}
			req := httptest.NewRequest("POST", "http://10.0.0.5:8080/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if origin != "" {
				req.Header.Set("Origin", origin) // the proxy rewrote Host to the backend's address
			}
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
			}
			cs := rec.Result().Cookies()
			if len(cs) != 1 || cs[0].Name != tt.wantCookie || cs[0].Secure != tt.wantSecure || cs[0].Path != "/" || cs[0].Domain != "" ||
				!cs[0].HttpOnly {
				t.Fatalf("cookie = %+v", cs)
			}
			if hsts := rec.Header().Get("Strict-Transport-Security") != ""; hsts != tt.wantSecure {
				t.Fatalf("HSTS header present = %v", hsts)
			}
			// The cookie signs the next request in; the other name does not.
			for _, name := range []string{sessionCookie, secureSessionCookie} {
				req := httptest.NewRequest("GET", "http://10.0.0.5:8080/", nil)
				req.AddCookie(&http.Cookie{Name: name, Value: cs[0].Value})
				rec := httptest.NewRecorder()
				app.ServeHTTP(rec, req)
				if signedIn := rec.Code == http.StatusOK; signedIn != (name == tt.wantCookie) {
					t.Fatalf("cookie named %s: status %d", name, rec.Code)
				}
			}
			// A form from another site is still refused.
			req = httptest.NewRequest("POST", "http://10.0.0.5:8080/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			rec = httptest.NewRecorder()
			app.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("cross-origin sign-in: %d", rec.Code)
			}
		})
	}
}

func TestPublicURLRejected(t *testing.T) {
	h := newHarness(t)
	for _, u := range []string{"ftp://care.example.org", "https://", "https://care.example.org/earshot", "care.example.org",
		"https://care.example.org/?x=1", "https://user:pw@care.example.org"} {
		if _, err := New(Config{Store: h.st, PublicURL: u}); err == nil {
			t.Errorf("public URL %q accepted", u)
		}
	}
}
