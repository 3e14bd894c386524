package web

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/events"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
)

// TestViewCountsCache checks when the inbox recounts its views: not
// within countFresh, not while nothing was published, but after a live
// event once countFresh has passed, and after countQuiet in any case.
func TestViewCountsCache(t *testing.T) {
	h := newHarness(t)
	agent := h.signIn("agent")
	// quiet adds cases without telling the live broker.
	quiet := ingest.New(h.st, analyze.New(), ingest.Options{})
	n := 0
	add := func() {
		t.Helper()
		n++
		_, err := quiet.Ingest(context.Background(), []model.Mention{{Platform: "x", ExternalID: "q" + strconv.Itoa(n), Text: "Where is my card?",
			CreatedAt: time.Now().UTC(), Author: model.Author{ID: "u" + strconv.Itoa(n), Handle: "p" + strconv.Itoa(n)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	newCount := regexp.MustCompile(`>New <span class="count">(\d+)</span>`)
	count := func() int {
		t.Helper()
		_, body := h.get(agent, "/")
		if !strings.Contains(body, `href="/?assignee=mine"`) {
			t.Fatal("the Mine view does not link to ?assignee=mine")
		}
		m := newCount.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no count beside the New view: %.3000s", body)
		}
		v, _ := strconv.Atoi(m[1])
		return v
	}
	add()
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"first count", func() {}, 1},
		{"fresh: reused", add, 1},
		{"quiet: reused past countFresh", func() { h.clock.Add(countFresh + time.Second) }, 1},
		{"an event, countFresh later: recounted", func() {
			h.broker.Publish(events.Event{Type: events.MentionAdded})
			h.clock.Add(countFresh + time.Second)
		}, 2},
		{"quiet but older than countQuiet: recounted", func() { add(); h.clock.Add(countQuiet + time.Second) }, 3},
	}
	for _, s := range steps {
		s.do()
		if got := count(); got != s.want {
			t.Fatalf("%s: New shows %d, want %d", s.name, got, s.want)
		}
	}
}

func TestInboxURL(t *testing.T) {
	tests := []struct{ query, cursor, want string }{
		{"", "", "/"},
		{"assignee=mine", "", "/?assignee=mine"},
		{"q=a+b&status=new", "Mi4z", "/?cursor=Mi4z&q=a+b&status=new"},
		{"q=%22%3E%3Cscript%3E", "", "/?q=%22%3E%3Cscript%3E"},
		{"javascript:alert(1)", "", "/?javascript%3Aalert%281%29="},
	}
	for _, tt := range tests {
		if got := string(inboxURL(tt.query, tt.cursor)); got != tt.want {
			t.Errorf("inboxURL(%q, %q) = %q, want %q", tt.query, tt.cursor, got, tt.want)
		}
	}
}

// TestViewCountBudget checks that a count that runs out of the page's
// budget is skipped, remembered as skipped (so that every page load does
// not spend the budget again), and tried again when the cache expires.
func TestViewCountBudget(t *testing.T) {
	h := newHarness(t)
	h.mention("1", "gil", "Where is my card?")
	ctx := context.Background()
	spent, cancel := context.WithCancel(ctx)
	cancel()
	f := store.CaseFilter{Status: string(model.StatusNew)}
	if _, err := h.app.viewCount(ctx, spent, f); !errors.Is(err, errCountSkipped) {
		t.Fatalf("count over budget: %v", err)
	}
	if _, err := h.app.viewCount(ctx, ctx, f); !errors.Is(err, errCountSkipped) {
		t.Fatalf("a skipped count was retried at once: %v", err)
	}
	h.clock.Add(countQuiet + time.Second)
	if n, err := h.app.viewCount(ctx, ctx, f); err != nil || n != 1 {
		t.Fatalf("count after the cache expired = %d, %v", n, err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	h.clock.Add(countQuiet + time.Second)
	if _, err := h.app.viewCount(gone, gone, f); errors.Is(err, errCountSkipped) || err == nil {
		t.Fatalf("a cancelled request is reported as %v, want its own error", err)
	}
}
