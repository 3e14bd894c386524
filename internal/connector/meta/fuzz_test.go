package meta

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// FuzzParse feeds the webhook parser arbitrary deliveries: it must never
// panic, must quote no payload text in its errors, and every mention it
// returns must belong to a configured channel and carry the fields the
// mention contract needs.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"object":"page","entry":[{"id":"` + pageID + `","time":1767225600,"changes":[{"field":"feed","value":{"from":{"id":"61","name":"Lee"},"message":"hi","post_id":"1_2","comment_id":"2_3","parent_id":"1_2","created_time":1767225590,"item":"comment","verb":"add"}}]}]}`,
		`{"object":"page","entry":[{"id":"` + pageID + `","time":1767225600123,"messaging":[{"sender":{"id":"24"},"recipient":{"id":"` + pageID + `"},"timestamp":1767225599000,"message":{"mid":"m_A","text":"hello","is_echo":false}}]}]}`,
		`{"object":"instagram","entry":[{"id":"` + igID + `","time":1767225600,"changes":[{"field":"comments","value":{"from":{"id":"1784","username":"sam"},"media":{"id":"18"},"id":"179","parent_id":"178","text":"x"}}]}]}`,
		`{"object":"instagram","entry":[{"id":"` + igID + `","time":1,"field":"comments","value":{"id":"1","text":"x","media":{"id":2}}}]}`,
		`{"object":"page","entry":[{"id":` + pageID + `,"changes":[{"field":"feed","value":{"created_time":"2026-01-01T00:00:00+0000","item":"status","verb":"edited","post_id":1,"message":"x"}}]}]}`,
		`{"object":"page","entry":[{"id":"1","changes":null,"messaging":[{}]}]}`,
		`{}`, `[]`, `null`, `{"object":"page","entry":[null]}`,
	} {
		f.Add([]byte(seed))
	}
	w, err := NewWebhook(testChannels())
	if err != nil {
		f.Fatal(err)
	}
	channels := map[string]string{"fb": model.PlatformFacebook, "ig": model.PlatformInstagram}
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, err := w.Parse(body)
		if err != nil {
			if ms != nil {
				t.Errorf("mentions with an error: %+v", ms)
			}
			if !utf8.ValidString(err.Error()) || len(err.Error()) > 300 {
				t.Errorf("error %q", err)
			}
			return
		}
		for _, m := range ms {
			if channels[m.Channel] != m.Platform {
				t.Errorf("mention of channel %q on %q", m.Channel, m.Platform)
			}
			if m.ExternalID == "" || m.ThreadID == "" || strings.TrimSpace(m.Text) == "" || m.Author.ID == "" && m.Author.Handle == "" {
				t.Errorf("mention lacks id, thread or text: %+v", m)
			}
			switch m.Kind {
			case model.KindPost, model.KindComment, model.KindDirectMessage:
			default:
				t.Errorf("kind %q", m.Kind)
			}
			if m.Direction != model.DirectionInbound && m.Direction != model.DirectionOutbound {
				t.Errorf("direction %q", m.Direction)
			}
			if m.URL != "" && !strings.HasPrefix(m.URL, "https://") {
				t.Errorf("url %q", m.URL)
			}
		}
	})
}

// FuzzGraphError feeds the Graph error reader arbitrary answers and usage
// headers: every failure must come out as one of the outbox's typed
// errors, with a bounded wait and a bounded reason.
func FuzzGraphError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"AbC"}}`), "")
	f.Add(403, []byte(`{"error":{"message":"(#4) Application request limit reached","code":4,"is_transient":true}}`), `{"1":[{"estimated_time_to_regain_access":7}]}`)
	f.Add(500, []byte(`{"error":{"code":2}}`), `{"estimated_time_to_regain_access":-3}`)
	f.Add(429, []byte(`<html>`), `[]`)
	f.Add(404, []byte(`{"error":null}`), `{"estimated_time_to_regain_access":1e999}`)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, body []byte, usage string) {
		if status < 400 || status > 599 {
			status = 400 + abs(status)%200
		}
		h := http.Header{}
		h.Set("X-Business-Use-Case-Usage", usage)
		h.Set("X-App-Usage", usage)
		switch e := classify(status, h, body, now).(type) {
		case *connector.RateLimited:
			if e.RetryAfter < time.Second || e.RetryAfter > 24*time.Hour {
				t.Errorf("wait %v", e.RetryAfter)
			}
		case *connector.Temporary:
			if strings.Contains(e.Reason, "{") {
				t.Errorf("temporary reason quotes the body: %q", e.Reason)
			}
		case *connector.Permanent:
			if len(e.Reason) > 800 || !utf8.ValidString(e.Reason) {
				t.Errorf("reason %q", e.Reason)
			}
		default:
			t.Errorf("untyped error %T %v", e, e)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
