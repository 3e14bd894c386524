package meta

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

const pageToken = "page-token"

// request is what the Graph double received.
type request struct {
	path  string
	form  map[string]string // query and form fields
	json  map[string]any    // a JSON body
	agent string
}

// graphDouble answers like the Graph API for the edges the sender uses:
// POST /{version}/{comment-id}/comments, /{comment-id}/replies and
// /{account-id}/messages, with the page token in access_token and its
// appsecret_proof. fail, when set, answers instead.
type graphDouble struct {
	t    *testing.T
	mu   sync.Mutex
	reqs []request
	fail http.HandlerFunc
}

func (g *graphDouble) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := request{path: r.URL.Path, form: map[string]string{}, agent: r.UserAgent()}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &rec.json); err != nil {
			g.t.Errorf("JSON body: %v", err)
		}
	}
	if err := r.ParseForm(); err != nil {
		g.t.Errorf("form: %v", err)
	}
	for k := range r.Form {
		rec.form[k] = r.Form.Get(k)
	}
	g.mu.Lock()
	g.reqs = append(g.reqs, rec)
	g.mu.Unlock()
	if r.Method != http.MethodPost {
		g.t.Errorf("method %s", r.Method)
	}
	if g.fail != nil {
		g.fail(w, r)
		return
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write([]byte(pageToken))
	if rec.form["access_token"] != pageToken || rec.form["appsecret_proof"] != hex.EncodeToString(mac.Sum(nil)) {
		graphFail(w, http.StatusBadRequest, `{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190,"fbtrace_id":"AbC"}}`)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 3 || parts[0] != Version {
		graphFail(w, http.StatusBadRequest, `{"error":{"message":"Unknown path components","type":"OAuthException","code":2500,"fbtrace_id":"AbC"}}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch parts[2] {
	case "comments":
		fmt.Fprintf(w, `{"id":"777_999","permalink_url":"https://www.facebook.com/acmehealth/posts/pfbid02x?comment_id=999"}`)
	case "replies":
		fmt.Fprintf(w, `{"id":"17900000999"}`)
	case "messages":
		fmt.Fprintf(w, `{"recipient_id":"2400000001","message_id":"m_SENT"}`)
	default:
		graphFail(w, http.StatusBadRequest, `{"error":{"message":"Unsupported post request.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbC"}}`)
	}
}

func graphFail(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func (g *graphDouble) requests() []request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]request(nil), g.reqs...)
}

// newSenderFor starts a Graph double and a channel of platform against it.
func newSenderFor(t *testing.T, platform string) (connector.Sender, *graphDouble) {
	t.Helper()
	g := &graphDouble{t: t}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	account := pageID
	if platform == model.PlatformInstagram {
		account = igID
	}
	ch, err := New(connector.Config{
		ID: platform, Platform: platform, AccountID: account, BaseURL: srv.URL + "/",
		Auth: connector.StaticToken(pageToken), Secret: appSecret,
		Client: &http.Client{Timeout: 2 * time.Second}, UserAgent: "Earshot/test",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Sender == nil || ch.Poller != nil || ch.ID != platform || ch.Platform != platform {
		t.Fatalf("channel = %+v", ch)
	}
	return ch.Sender, g
}

func TestSendFacebookPublicReplyCommentsUnderTheComment(t *testing.T) {
	s, g := newSenderFor(t, model.PlatformFacebook)
	sent, err := s.Send(context.Background(), connector.Outgoing{
		ReplyID: 1, Channel: "facebook", Visibility: model.VisibilityPublic, Text: "Sorry to hear that. Please message us.",
		InReplyTo: "777_888", ThreadID: pageID + "_777", AuthorID: "6100000001",
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != "777_999" || sent.URL != "https://www.facebook.com/acmehealth/posts/pfbid02x?comment_id=999" {
		t.Errorf("sent = %+v", sent)
	}
	reqs := g.requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %+v", reqs)
	}
	r := reqs[0]
	if r.path != "/"+Version+"/777_888/comments" || r.form["message"] != "Sorry to hear that. Please message us." ||
		r.form["fields"] != "id,permalink_url" || r.agent != "Earshot/test" {
		t.Errorf("request = %+v", r)
	}
}

func TestSendPrivateReplies(t *testing.T) {
	for _, tc := range []struct {
		name, platform string
		out            connector.Outgoing
		path           string
		recipient      map[string]any
		messagingType  any
	}{
		{"facebook comment", model.PlatformFacebook,
			connector.Outgoing{InReplyTo: "777_888", ThreadID: pageID + "_777", AuthorID: "6100000001"},
			"/" + Version + "/" + pageID + "/messages", map[string]any{"comment_id": "777_888"}, nil},
		{"facebook visitor post", model.PlatformFacebook,
			connector.Outgoing{InReplyTo: pageID + "_901", ThreadID: pageID + "_901", AuthorID: "61"},
			"/" + Version + "/" + pageID + "/messages", map[string]any{"post_id": pageID + "_901"}, nil},
		{"facebook conversation", model.PlatformFacebook,
			connector.Outgoing{InReplyTo: "m_AAA.b-c", ThreadID: "2400000001", AuthorID: "2400000001"},
			"/" + Version + "/" + pageID + "/messages", map[string]any{"id": "2400000001"}, "RESPONSE"},
		{"instagram comment", model.PlatformInstagram,
			connector.Outgoing{InReplyTo: "17900000777", ThreadID: "18000000042", AuthorID: "17840000001"},
			"/" + Version + "/" + igID + "/messages", map[string]any{"comment_id": "17900000777"}, nil},
		{"instagram conversation", model.PlatformInstagram,
			connector.Outgoing{InReplyTo: "aWdfZAG1+AAA=", ThreadID: "9900", AuthorID: "9900"},
			"/" + Version + "/" + igID + "/messages", map[string]any{"id": "9900"}, "RESPONSE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, g := newSenderFor(t, tc.platform)
			out := tc.out
			out.Visibility, out.Text = model.VisibilityPrivate, "Could you send us your phone number?"
			sent, err := s.Send(context.Background(), out)
			if err != nil || sent.ID != "m_SENT" || sent.URL != "" {
				t.Fatalf("Send = %+v, %v", sent, err)
			}
			reqs := g.requests()
			if len(reqs) != 1 {
				t.Fatalf("requests = %+v", reqs)
			}
			r := reqs[0]
			msg, _ := r.json["message"].(map[string]any)
			if r.path != tc.path || fmt.Sprint(r.json["recipient"]) != fmt.Sprint(tc.recipient) ||
				msg["text"] != out.Text || r.json["messaging_type"] != tc.messagingType || r.form["message"] != "" {
				t.Errorf("request = %+v", r)
			}
		})
	}
}

func TestSendInstagramPublicReplyRepliesToTheComment(t *testing.T) {
	s, g := newSenderFor(t, model.PlatformInstagram)
	sent, err := s.Send(context.Background(), connector.Outgoing{
		Visibility: model.VisibilityPublic, Text: "Thanks, we're on it", InReplyTo: "17900000777", ThreadID: "18000000042", AuthorID: "1784",
	})
	if err != nil || sent.ID != "17900000999" || sent.URL != "" {
		t.Fatalf("Send = %+v, %v", sent, err)
	}
	if r := g.requests(); len(r) != 1 || r[0].path != "/"+Version+"/17900000777/replies" || r[0].form["message"] != "Thanks, we're on it" || r[0].form["fields"] != "" {
		t.Errorf("requests = %+v", r)
	}
}

func TestSendRefusesWhatCannotGoOut(t *testing.T) {
	s, g := newSenderFor(t, model.PlatformFacebook)
	for name, out := range map[string]connector.Outgoing{
		"public answer to a DM": {Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "m_A", ThreadID: "24", AuthorID: "24"},
		"no comment":            {Visibility: model.VisibilityPublic, Text: "x", ThreadID: "1_2"},
		"path in the id":        {Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "../1029384756/feed", ThreadID: "1_2"},
		"empty text":            {Visibility: model.VisibilityPrivate, Text: " ", InReplyTo: "1_2", ThreadID: "1"},
		"no visibility":         {Text: "x", InReplyTo: "1_2", ThreadID: "1"},
	} {
		var perm *connector.Permanent
		if _, err := s.Send(context.Background(), out); !errors.As(err, &perm) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if r := g.requests(); len(r) != 0 {
		t.Errorf("requests = %+v", r)
	}
}

func TestSendTypesGraphThrottling(t *testing.T) {
	for _, code := range []int{4, 17, 32, 613, 80001} {
		for _, tc := range []struct {
			name   string
			header map[string]string
			want   time.Duration
		}{
			{"business use case", map[string]string{"X-Business-Use-Case-Usage": `{"1029384756":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":7}]}`}, 7 * time.Minute},
			{"app usage", map[string]string{"X-App-Usage": `{"call_count":100,"total_time":25,"total_cputime":25,"estimated_time_to_regain_access":2}`}, 2 * time.Minute},
			{"longest wins", map[string]string{
				"X-Business-Use-Case-Usage": `{"1":[{"estimated_time_to_regain_access":3}],"2":[{"estimated_time_to_regain_access":12}]}`,
				"X-App-Usage":               `{"call_count":100}`}, 12 * time.Minute},
			{"usage without a time", map[string]string{"X-App-Usage": `{"call_count":100,"total_time":25,"total_cputime":25}`}, connector.DefaultRetry},
			{"retry-after", map[string]string{"Retry-After": "30"}, 30 * time.Second},
			{"none", nil, connector.DefaultRetry},
			{"absurd", map[string]string{"X-App-Usage": `{"estimated_time_to_regain_access":1e300}`}, 24 * time.Hour},
		} {
			s, g := newSenderFor(t, model.PlatformFacebook)
			g.fail = func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				graphFail(w, http.StatusForbidden, fmt.Sprintf(`{"error":{"message":"(#%d) Application request limit reached","type":"OAuthException","is_transient":true,"code":%d,"fbtrace_id":"AbC"}}`, code, code))
			}
			_, err := s.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != tc.want {
				t.Errorf("code %d, %s: %v, want a wait of %v", code, tc.name, err, tc.want)
			}
		}
	}
}

func TestSendTypesServerFailuresAsTemporary(t *testing.T) {
	for name, fail := range map[string]http.HandlerFunc{
		"502 bare": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) },
		"500 graph": func(w http.ResponseWriter, r *http.Request) {
			graphFail(w, 500, `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2,"fbtrace_id":"AbC"}}`)
		},
		"400 transient": func(w http.ResponseWriter, r *http.Request) {
			graphFail(w, 400, `{"error":{"message":"Please retry","type":"OAuthException","is_transient":true,"code":1200,"fbtrace_id":"AbC"}}`)
		},
		"400 unknown error": func(w http.ResponseWriter, r *http.Request) {
			graphFail(w, 400, `{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"error_subcode":99,"fbtrace_id":"AbC"}}`)
		},
	} {
		s, g := newSenderFor(t, model.PlatformInstagram)
		g.fail = fail
		_, err := s.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPrivate, Text: "x", InReplyTo: "179", ThreadID: "180"})
		var tmp *connector.Temporary
		if !errors.As(err, &tmp) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSendExplainsRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       []string
	}{
		{"window closed", `{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"AbC"}}`, 400,
			[]string{"7-day window", "Next step", "(#10/2018278) (#10) This message is sent outside of allowed window."}},
		{"instagram window", `{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2534022,"fbtrace_id":"AbC"}}`, 400,
			[]string{"7-day window"}},
		{"already replied", `{"error":{"message":"Activity already replied to","type":"OAuthException","code":10900,"fbtrace_id":"AbC"}}`, 400,
			[]string{"already sent", "only one", "(#10900)"}},
		{"unavailable", `{"error":{"message":"(#551) This person isn't available right now.","type":"OAuthException","code":551,"error_subcode":1545041,"fbtrace_id":"AbC"}}`, 400,
			[]string{"not accepting messages", "call them"}},
		{"bad token", `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}}`, 400,
			[]string{"access token", "renews"}},
		{"permission", `{"error":{"message":"(#200) Requires pages_messaging permission","type":"OAuthException","code":200,"fbtrace_id":"AbC"}}`, 403,
			[]string{"lacks a permission", "pages_messaging"}},
		{"deleted", `{"error":{"message":"Unsupported post request. Object with ID '777_888' does not exist","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbC"}}`, 400,
			[]string{"no longer exists"}},
		{"other", `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"AbC"}}`, 400,
			[]string{"Meta refused the reply. Meta said: (#100) (#100) Invalid parameter"}},
		{"not graph", `<html>Forbidden</html>`, 403, []string{"HTTP 403: Forbidden"}},
	} {
		s, g := newSenderFor(t, model.PlatformFacebook)
		g.fail = func(w http.ResponseWriter, r *http.Request) { graphFail(w, tc.status, tc.body) }
		_, err := s.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPrivate, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
		var perm *connector.Permanent
		if !errors.As(err, &perm) {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(perm.Reason, w) {
				t.Errorf("%s: reason %q lacks %q", tc.name, perm.Reason, w)
			}
		}
	}
}

func TestSendWithAWrongTokenIsRefusedAsTheDoubleAnswers(t *testing.T) {
	g := &graphDouble{t: t}
	srv := httptest.NewServer(g)
	defer srv.Close()
	ch, err := New(connector.Config{ID: "fb", Platform: model.PlatformFacebook, AccountID: pageID, BaseURL: srv.URL,
		Auth: connector.StaticToken("stale"), Secret: appSecret, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.Sender.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
	var perm *connector.Permanent
	if !errors.As(err, &perm) || !strings.Contains(perm.Reason, "access token") {
		t.Errorf("err = %v", err)
	}
}

func TestSendWhenTheOutcomeIsUnknown(t *testing.T) {
	// Meta takes the request and never answers: the reply may be out.
	release := make(chan struct{})
	s, g := newSenderFor(t, model.PlatformFacebook)
	g.fail = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := s.Send(ctx, connector.Outgoing{Visibility: model.VisibilityPrivate, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
	var unk *connector.Unknown
	if !errors.As(err, &unk) || strings.Contains(err.Error(), pageToken) {
		t.Errorf("timeout after sending: %v", err)
	}
	// A success that does not say what was created.
	for name, body := range map[string]string{"garbage": `<html>`, "no id": `{"success":true}`} {
		s, g := newSenderFor(t, model.PlatformInstagram)
		g.fail = func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }
		if _, err := s.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "179", ThreadID: "180"}); !errors.As(err, &unk) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSendBeforeReachingMetaIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens: the request never leaves
	ch, err := New(connector.Config{ID: "fb", Platform: model.PlatformFacebook, AccountID: pageID, BaseURL: base,
		Auth: connector.StaticToken(pageToken), Client: &http.Client{Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.Sender.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPrivate, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
	var tmp *connector.Temporary
	if !errors.As(err, &tmp) || strings.Contains(err.Error(), pageToken) {
		t.Errorf("err = %v", err)
	}
}

type failingToken struct{ err error }

func (f failingToken) Token(context.Context) (string, error) { return "", f.err }

func TestSendWithoutAToken(t *testing.T) {
	for name, tc := range map[string]struct {
		auth connector.TokenSource
		perm bool
	}{
		"none set":       {nil, true},
		"empty":          {connector.StaticToken(""), true},
		"refresh failed": {failingToken{errors.New("token endpoint down")}, false},
	} {
		ch, err := New(connector.Config{ID: "fb", Platform: model.PlatformFacebook, AccountID: pageID, Auth: tc.auth, Client: http.DefaultClient})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ch.Sender.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "x", InReplyTo: "777_888", ThreadID: "1_777"})
		var perm *connector.Permanent
		var tmp *connector.Temporary
		if tc.perm && !errors.As(err, &perm) || !tc.perm && !errors.As(err, &tmp) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	ok := connector.Config{ID: "fb", Platform: model.PlatformFacebook, AccountID: pageID, Client: http.DefaultClient}
	for name, change := range map[string]func(*connector.Config){
		"platform":       func(c *connector.Config) { c.Platform = model.PlatformX },
		"no account":     func(c *connector.Config) { c.AccountID = "" },
		"account path":   func(c *connector.Config) { c.AccountID = "1/feed" },
		"no client":      func(c *connector.Config) { c.Client = nil },
		"base_url ftp":   func(c *connector.Config) { c.BaseURL = "ftp://graph.example" },
		"base_url query": func(c *connector.Config) { c.BaseURL = "https://graph.example/?x=1" },
	} {
		c := ok
		change(&c)
		if _, err := New(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(ok); err != nil {
		t.Errorf("good config: %v", err)
	}
}
