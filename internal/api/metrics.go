package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
)

// MinMetricsToken is the shortest token /metrics may be given, so that
// it cannot be guessed.
const MinMetricsToken = 16

// CheckMetricsToken says what is wrong with tok as the token /metrics
// requires: at least MinMetricsToken characters, each one a bearer token
// may hold (RFC 6750 section 2.1: letters, digits and -._~+/, with = at
// the end), so that a scraper can send it as it is.
func CheckMetricsToken(tok string) error {
	if len(tok) < MinMetricsToken {
		return fmt.Errorf("the metrics token must be at least %d characters long, not %d", MinMetricsToken, len(tok))
	}
	body := strings.TrimRight(tok, "=")
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return fmt.Errorf("the metrics token may hold only letters, digits and -._~+/ (= at the end); character %d is not one", i+1)
		}
	}
	return nil
}

// requireToken serves h only to requests that carry token as their
// bearer token; others get 401. The comparison takes the same time
// wherever the tokens differ, and whatever their lengths (it compares
// their SHA-256 digests), so that timing tells nothing of the token.
func requireToken(token string, h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := bearerToken(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="earshot metrics"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "/metrics needs the metrics token: Authorization: Bearer <token>")
			return
		}
		h.ServeHTTP(w, r)
	})
}
