package demoplatform

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequests sends arbitrary bodies and ids to the endpoints that
// parse what Earshot sends: each answers a status below 500, never
// panics, and only a request it takes records a reply.
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/2/tweets", `{"text":"hi","reply":{"in_reply_to_tweet_id":"1"}}`)
	f.Add("POST", "/2/dm_conversations/with/55/messages", `{"text":"hi"}`)
	f.Add("PUT", "/v4/accounts/7/locations/9/reviews/x/reply", `{"comment":"thanks"}`)
	f.Add("GET", "/2/users/42/mentions?since_id=99999999999999999999999", ``)
	f.Add("POST", "/2/tweets", `{"text":`)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") {
			return
		}
		switch method {
		case "GET", "POST", "PUT":
		default:
			return
		}
		s := &Simulator{opts: Options{XAccountID: "42", GoogleLocation: "accounts/7/locations/9", Token: "t"}}
		s.Post()
		s.Review()
		req, err := http.NewRequest(method, "http://sim"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer t")
		w := httptest.NewRecorder()
		s.routes().ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s answered %d", method, path, w.Code)
		}
		if w.Code != http.StatusOK && w.Code != http.StatusCreated && len(s.Replies()) != 0 {
			t.Fatalf("%s %s was refused (%d) but recorded a reply", method, path, w.Code)
		}
	})
}
