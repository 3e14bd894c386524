package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"earshot/internal/ingest"
	"earshot/internal/model"
)

// steppedClock is a clock for the ingest pipeline that tests move on.
type steppedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppedClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestTimelineReplyBeforeCase is the QA report's timeline: our reply
// arrives 2 s before the mention it answers, which opens the case. Its
// mention_added entry is dated when it joined the case (the opening), not
// before the case existed, and comes after the mention that opened it.
func TestTimelineReplyBeforeCase(t *testing.T) {
	clock := &steppedClock{t: time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)}
	h := newHarness(t, func(cfg *Config) {
		cfg.Pipeline = ingest.New(cfg.Store, cfg.Analyzer, ingest.Options{Now: clock.now})
	})
	reply := h.ingest(ourReplyJSON("r1", "m1", 20))[0]
	clock.add(2 * time.Second)
	parent := h.ingest(mentionJSON("m1", "ann", "My claim was denied twice", 0))[0]
	var c model.Case
	if code := h.do(model.RoleViewer, "GET", fmt.Sprintf("/api/v1/cases/%d", parent.CaseID), "", &c); code != 200 {
		t.Fatalf("get: %d", code)
	}
	var got []string
	var opened time.Time
	for i, e := range c.Events {
		var d struct {
			MentionID int64 `json:"mention_id"`
		}
		json.Unmarshal(e.Data, &d)
		got = append(got, fmt.Sprintf("%s:%d", e.Type, d.MentionID))
		if e.Type == model.EventCaseOpened {
			opened = e.CreatedAt
		}
		if i > 0 && e.CreatedAt.Before(c.Events[i-1].CreatedAt) {
			t.Errorf("entry %d %s at %v comes after one at %v", i, e.Type, e.CreatedAt, c.Events[i-1].CreatedAt)
		}
		if !opened.IsZero() && e.CreatedAt.Before(opened) || opened.IsZero() {
			t.Errorf("entry %d %s at %v, before the case opened (%v)", i, e.Type, e.CreatedAt, opened)
		}
	}
	want := []string{
		fmt.Sprintf("case_opened:%d", parent.ID),
		fmt.Sprintf("mention_added:%d", parent.ID),
		fmt.Sprintf("mention_added:%d", reply.ID),
	}
	if !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	// The mention keeps its own arrival time.
	stored, err := h.st.GetCase(context.Background(), parent.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range stored.Mentions {
		if m.ID == reply.ID && !m.ReceivedAt.Equal(opened.Add(-2*time.Second)) {
			t.Errorf("reply received at %v, want %v", m.ReceivedAt, opened.Add(-2*time.Second))
		}
	}
}
