package meta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"earshot/internal/connector"
)

// graphError is the error the Graph API answers a failed request with:
// {"error":{"message","type","code","error_subcode","fbtrace_id"}}.
// https://developers.facebook.com/docs/graph-api/guides/error-handling/
type graphError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	FBTraceID   string `json:"fbtrace_id"`
	IsTransient bool   `json:"is_transient"`
}

// parseGraphError reads a Graph error body; ok is false when body is not
// one.
func parseGraphError(body []byte) (graphError, bool) {
	var b struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil || b.Error == nil || (b.Error.Code == 0 && b.Error.Message == "") {
		return graphError{}, false
	}
	return *b.Error, true
}

// Graph error codes and subcodes a send meets. Messenger's are listed at
// https://developers.facebook.com/docs/messenger-platform/error-codes.
const (
	codeUnknown          = 1
	codeService          = 2
	codePermission       = 10
	codeInvalidParameter = 100
	codeAccessToken      = 190
	codeBlocked          = 368
	codeUnavailable      = 551
	codeAlreadyReplied   = 10900

	subcodeNoObject        = 33
	subcodeWindow          = 2018278 // Messenger: outside the allowed window
	subcodeWindowInstagram = 2534022 // Instagram: outside the allowed window
	subcodeUnavailable     = 1545041
)

// classify turns a failed send's answer into the typed error the outbox
// acts on. Meta reports rate limits in the body (codes 4, 17, 32, 613,
// 80001) and in usage headers, not with 429.
func classify(status int, h http.Header, body []byte, now time.Time) error {
	ge, ok := parseGraphError(body)
	if !ok {
		return connector.FromStatus(status, h, "", now)
	}
	switch {
	case connector.GraphThrottled(ge.Code) || status == http.StatusTooManyRequests:
		return &connector.RateLimited{RetryAfter: usageWait(h, now)}
	case status >= 500 || ge.IsTransient || ge.Code == codeUnknown || ge.Code == codeService:
		return &connector.Temporary{Reason: fmt.Sprintf("HTTP %d, Graph API error %d", status, ge.Code)}
	}
	return &connector.Permanent{Reason: plainReason(ge) + " Meta said: " + ge.said()}
}

// plainReason says in plain words why Meta refused a reply, and what the
// agent can do next.
func plainReason(ge graphError) string {
	msg := strings.ToLower(ge.Message)
	switch {
	case ge.Subcode == subcodeWindow || ge.Subcode == subcodeWindowInstagram || strings.Contains(msg, "outside of allowed window"):
		return "The 7-day window for a private reply to this comment has closed. Next step: answer in public and invite them to message us, or call them."
	case ge.Code == codeAlreadyReplied || strings.Contains(msg, "already replied"):
		return "A private reply was already sent for this comment, and Meta allows only one. Next step: continue in the conversation once they answer it, or answer in public."
	case ge.Code == codeUnavailable || ge.Subcode == subcodeUnavailable:
		return "This person is not accepting messages from us right now. Next step: answer in public or call them."
	case ge.Code == codeAccessToken:
		return "Meta refused the channel's access token (expired or revoked). Next step: an admin renews the page access token in the channel's token variable, then retries."
	case ge.Code == codePermission || (ge.Code >= 200 && ge.Code < 300):
		return "The Meta app lacks a permission this reply needs (pages_messaging, pages_manage_engagement, instagram_manage_comments or instagram_manage_messages). Next step: an admin grants it, then retries."
	case ge.Code == codeInvalidParameter && ge.Subcode == subcodeNoObject:
		return "The post or comment no longer exists or cannot be reached (deleted, hidden, or we are blocked). Next step: reach them another way."
	case ge.Code == codeBlocked:
		return "Meta blocked this reply under its policies. Next step: rewrite it, or answer in private."
	}
	return "Meta refused the reply."
}

// said is the error as Meta gave it, code and message, bounded.
func (ge graphError) said() string {
	code := fmt.Sprintf("(#%d", ge.Code)
	if ge.Subcode != 0 {
		code += fmt.Sprintf("/%d", ge.Subcode)
	}
	msg := strings.ToValidUTF8(strings.TrimSpace(ge.Message), "\uFFFD")
	if len(msg) > 300 {
		n := 300
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n] + "…"
	}
	return code + ") " + msg
}

// usageHeaders report Graph rate-limit use; a throttled counter may say
// in estimated_time_to_regain_access how many minutes until calls pass.
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
var usageHeaders = []string{"X-Business-Use-Case-Usage", "X-App-Usage", "X-Page-Usage", "X-Ad-Account-Usage"}

// maxWait bounds how long a usage header can make us wait.
const maxWait = 24 * time.Hour

// usageWait is how long to wait after a throttling error: the longest
// estimated_time_to_regain_access of the usage headers, else what
// Retry-After says, else connector.DefaultRetry.
func usageWait(h http.Header, now time.Time) time.Duration {
	var minutes float64
	for _, name := range usageHeaders {
		if v := h.Get(name); v != "" {
			minutes = max(minutes, regainMinutes([]byte(v)))
		}
	}
	switch {
	case minutes >= maxWait.Minutes():
		return maxWait
	case minutes > 0:
		return max(time.Duration(minutes*float64(time.Minute)), time.Second)
	}
	return connector.RetryAfter(h, now)
}

// regainMinutes finds the largest estimated_time_to_regain_access in a
// usage header, which is an object (X-App-Usage) or an object of arrays
// of objects by business id (X-Business-Use-Case-Usage).
func regainMinutes(v []byte) float64 {
	type usage struct {
		Regain float64 `json:"estimated_time_to_regain_access"`
	}
	var one usage
	if json.Unmarshal(v, &one) == nil && one.Regain > 0 {
		return one.Regain
	}
	var byBusiness map[string][]usage
	if json.Unmarshal(v, &byBusiness) != nil {
		return 0
	}
	var m float64
	for _, us := range byBusiness {
		for _, u := range us {
			m = max(m, u.Regain)
		}
	}
	return m
}
