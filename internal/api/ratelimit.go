package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRateLimit and DefaultRateBurst are serve's per-token request
// limits: 50 requests a second, with bursts of 100. Sent in batches of
// 500, that is 25,000 mentions a second for one integration token.
const (
	DefaultRateLimit = 50
	DefaultRateBurst = 100
)

// tokenLimits holds a token bucket per API token. Tokens are few and
// long-lived, so the map is not pruned; a revoked token's bucket is a
// few dozen bytes. Each replica counts its own requests.
type tokenLimits struct {
	every rate.Limit
	burst int
	mu    sync.Mutex
	byTok map[int64]*rate.Limiter
}

// newTokenLimits returns the limits for perSecond requests a token with
// bursts of burst (at least 1), or nil when perSecond is not above 0.
func newTokenLimits(perSecond float64, burst int) *tokenLimits {
	if perSecond <= 0 || math.IsNaN(perSecond) {
		return nil
	}
	return &tokenLimits{every: rate.Limit(perSecond), burst: max(burst, 1), byTok: map[int64]*rate.Limiter{}}
}

// allow takes one request from token id's bucket at now. When the bucket
// is empty it takes nothing and says how long until a request would be
// let through.
func (l *tokenLimits) allow(id int64, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	lim, ok := l.byTok[id]
	if !ok {
		lim = rate.NewLimiter(l.every, l.burst)
		l.byTok[id] = lim
	}
	l.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// tooMany answers 429 with Retry-After in whole seconds (at least one).
func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := max(int64(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeError(w, http.StatusTooManyRequests, "rate_limited",
		"this token sent more requests than its limit allows; retry after "+strconv.FormatInt(secs, 10)+" s")
}
