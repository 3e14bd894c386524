package connector

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

func TestRetryAfterReadsEveryForm(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "30"}, 30 * time.Second},
		{"http date", map[string]string{"Retry-After": now.Add(2 * time.Minute).Format(http.TimeFormat)}, 2 * time.Minute},
		{"x reset", map[string]string{"x-rate-limit-reset": "1772367000"}, 10 * time.Minute}, // 12:10 UTC
		{"Retry-After wins", map[string]string{"Retry-After": "5", "x-rate-limit-reset": "1772367000"}, 5 * time.Second},
		{"none", nil, DefaultRetry},
		{"garbage", map[string]string{"Retry-After": "soon"}, DefaultRetry},
		{"in the past", map[string]string{"x-rate-limit-reset": "1000"}, time.Second},
		{"zero", map[string]string{"Retry-After": "0"}, time.Second},
		{"far", map[string]string{"Retry-After": "99999999999"}, 24 * time.Hour},
	} {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if got := RetryAfter(h, now); got != tc.want {
			t.Errorf("%s: RetryAfter = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFromStatusTypesTheFailure(t *testing.T) {
	now := time.Now()
	h := http.Header{"Retry-After": {"7"}}
	var rl *RateLimited
	if err := FromStatus(429, h, "", now); !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Errorf("429: %v", err)
	}
	var tmp *Temporary
	for _, st := range []int{408, 500, 502, 503} {
		if err := FromStatus(st, nil, "body", now); !errors.As(err, &tmp) || strings.Contains(err.Error(), "body") {
			t.Errorf("%d: %v", st, err)
		}
	}
	var perm *Permanent
	if err := FromStatus(403, nil, "(#10) outside the allowed window", now); !errors.As(err, &perm) || perm.Reason != "HTTP 403: (#10) outside the allowed window" {
		t.Errorf("403: %v", err)
	}
	if err := FromStatus(404, nil, "", now); !errors.As(err, &perm) || perm.Reason != "HTTP 404: Not Found" {
		t.Errorf("404: %v", err)
	}
}

func TestGraphThrottled(t *testing.T) {
	for _, c := range []int{4, 17, 32, 613, 80001} {
		if !GraphThrottled(c) {
			t.Errorf("code %d is a throttle", c)
		}
	}
	for _, c := range []int{0, 10, 100, 190, 80000} {
		if GraphThrottled(c) {
			t.Errorf("code %d is no throttle", c)
		}
	}
}

type sender string

func (s sender) Send(context.Context, Outgoing) (Sent, error) { return Sent{ID: string(s)}, nil }

type poller struct{}

func (poller) Poll(context.Context, string) ([]model.Mention, string, error) { return nil, "", nil }

func TestRegistryFindsTheSender(t *testing.T) {
	var none *Registry
	if _, ok := none.Sender("a", "x"); ok {
		t.Error("a nil registry has a sender")
	}
	r, err := NewRegistry(
		Channel{ID: "acme-x", Platform: "x", Sender: sender("acme-x"), Poller: poller{}},
		Channel{ID: "fb1", Platform: "facebook", Sender: sender("fb1")},
		Channel{ID: "fb2", Platform: "facebook", Sender: sender("fb2")},
		Channel{ID: "news", Platform: "rss", Poller: poller{}},
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		channel, platform, want string
	}{
		{"acme-x", "x", "acme-x"},
		{"", "x", "acme-x"},        // the one channel of x answers an imported case
		{"other", "x", ""},         // no other account speaks for a channel not set up here
		{"fb2", "facebook", "fb2"}, // its own channel
		{"", "facebook", ""},       // two could: none is guessed
		{"news", "rss", ""},        // rss cannot answer
		{"", "yelp", ""},           // nothing set up
		{"acme-x", "facebook", ""}, // a channel answers on its own platform only
	} {
		got := "" // none
		if s, ok := r.Sender(tc.channel, tc.platform); ok {
			sent, _ := s.Send(context.Background(), Outgoing{})
			got = sent.ID
		}
		if got != tc.want {
			t.Errorf("Sender(%q, %q) = %q, want %q", tc.channel, tc.platform, got, tc.want)
		}
	}
	if ps := r.Pollers(); len(ps) != 2 || ps[0].ID != "acme-x" || ps[1].ID != "news" {
		t.Errorf("pollers = %+v", ps)
	}
}

func TestRegistryRefusesBadChannels(t *testing.T) {
	_, err := NewRegistry(Channel{ID: "a", Platform: "x"}, Channel{ID: "a", Platform: "x"}, Channel{Platform: "x"})
	if err == nil || !strings.Contains(err.Error(), `"a" is registered twice`) || !strings.Contains(err.Error(), "needs an id") {
		t.Errorf("err = %v", err)
	}
}
