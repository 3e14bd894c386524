package connector

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimited: the platform refused the request for now (HTTP 429, a
// Graph throttling code). Nothing was sent; try again after RetryAfter.
type RateLimited struct {
	RetryAfter time.Duration
}

func (e *RateLimited) Error() string {
	return fmt.Sprintf("rate limited by the platform; retry after %v", e.RetryAfter)
}

// Temporary: the platform failed in a way that may pass (a 5xx, a
// refused connection) and did not take the reply. Retry with backoff.
type Temporary struct {
	// Reason says what failed, in Earshot's words and the status, never
	// the platform's body.
	Reason string
}

func (e *Temporary) Error() string { return "temporary failure: " + e.Reason }

// Permanent: the platform refused the reply for good (the post was
// deleted, the private reply window closed, the token lacks a
// permission). Retrying cannot help; the agent reads Reason.
type Permanent struct {
	// Reason is the platform's reason as it gave it (its error code and
	// message), for the agent.
	Reason string
}

func (e *Permanent) Error() string { return "refused by the platform: " + e.Reason }

// Unknown: the request may have reached the platform and no answer says
// whether it took the reply (a timeout after sending, a connection cut
// mid-answer). It is never retried: sending again could post it twice.
type Unknown struct {
	Reason string
}

func (e *Unknown) Error() string { return "outcome unknown: " + e.Reason }

// graphThrottleCodes are the Graph API error codes that mean "too many
// calls" (application, user, page and custom-rate limits).
var graphThrottleCodes = [...]int{4, 17, 32, 613, 80001}

// GraphThrottled reports whether a Graph API error code is a rate limit.
func GraphThrottled(code int) bool {
	for _, c := range graphThrottleCodes {
		if c == code {
			return true
		}
	}
	return false
}

// RetryAfter reads how long a platform asks us to wait from a response's
// headers: Retry-After (seconds or an HTTP date) or x-rate-limit-reset
// (X: the Unix time the window resets). It returns DefaultRetry when
// neither says, and at least a second.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	d := DefaultRetry
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second
		} else if at, err := http.ParseTime(v); err == nil {
			d = at.Sub(now)
		}
	} else if v := strings.TrimSpace(h.Get("x-rate-limit-reset")); v != "" {
		if unix, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Unix(unix, 0).Sub(now)
		}
	}
	return min(max(d, time.Second), 24*time.Hour)
}

// FromStatus turns a platform's HTTP answer to a send that failed into
// the typed error the outbox acts on: 429 is RateLimited (with the wait
// the headers ask), 408 and 5xx are Temporary, other statuses Permanent
// with reason (the platform's own words, which the agent reads). Call it
// only for a status that is not a success.
func FromStatus(status int, h http.Header, reason string, now time.Time) error {
	switch {
	case status == http.StatusTooManyRequests:
		return &RateLimited{RetryAfter: RetryAfter(h, now)}
	case status == http.StatusRequestTimeout || status >= 500:
		return &Temporary{Reason: fmt.Sprintf("HTTP %d", status)}
	}
	if reason == "" {
		reason = http.StatusText(status)
	}
	return &Permanent{Reason: fmt.Sprintf("HTTP %d: %s", status, reason)}
}
