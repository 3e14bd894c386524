package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/store/storetest"
)

func TestSpikeAndDigest(t *testing.T) {
	ctx := context.Background()
	live := liveOrg(t, `organization: T
timezone: America/Chicago
digest: "08:00"
alerts:
  - {id: comms, type: slack, url: "https://hooks.slack.example.org/x", on: [spike, digest]}
`)
	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live})
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC) // 10:00 in Chicago
	var ms []*model.Mention
	add := func(n int, at time.Time, label string) {
		for range n {
			i := len(ms)
			ms = append(ms, &model.Mention{Platform: "x", ExternalID: fmt.Sprint(i), Kind: "post", Direction: "inbound", Text: "x",
				CreatedAt: at, Author: model.Author{ID: fmt.Sprint(i), Handle: fmt.Sprint("h", i)},
				Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: label}, Urgency: model.Urgency{Level: "normal"}}})
		}
	}
	for w := 1; w <= 4; w++ {
		add(5, now.Add(-30*time.Minute-time.Duration(w)*7*24*time.Hour), "neutral")
	}
	add(10, now.Add(-30*time.Minute), "neutral")
	if _, err := p.Store(ctx, ms); err != nil {
		t.Fatal(err)
	}
	spike := notify.SpikeSweep(st, live)
	if err := spike(ctx, now); err != nil {
		t.Fatal(err)
	}
	if js, _ := st.JobsByKind(ctx, model.JobKindAlert); len(js) != 0 {
		t.Fatalf("10 mentions (under the minimum) raised %d spike alerts", len(js))
	}
	ms = ms[:0]
	for i := range 30 {
		ms = append(ms, &model.Mention{Platform: "x", ExternalID: fmt.Sprint("s", i), Kind: "post", Direction: "inbound", Text: "x",
			CreatedAt: now.Add(-10 * time.Minute), Author: model.Author{ID: fmt.Sprint("s", i)},
			Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: "negative"}, Urgency: model.Urgency{Level: "normal"}}})
	}
	if _, err := p.Store(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if err := spike(ctx, now); err != nil { // same slot: not checked again
		t.Fatal(err)
	}
	if js, _ := st.JobsByKind(ctx, model.JobKindAlert); len(js) != 0 {
		t.Fatal("checked twice in one slot")
	}
	for _, at := range []time.Time{now.Add(15 * time.Minute), now.Add(16 * time.Minute)} {
		if err := spike(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	// Another replica's sweep in the same slot adds nothing.
	if err := notify.SpikeSweep(st, live)(ctx, now.Add(17*time.Minute)); err != nil {
		t.Fatal(err)
	}
	js, _ := st.JobsByKind(ctx, model.JobKindAlert)
	if len(js) != 1 || !strings.Contains(string(js[0].Payload), "40 mentions") {
		t.Fatalf("spike alerts: %+v", js)
	}

	digest := notify.DigestSweep(st, live)
	for _, at := range []time.Time{
		time.Date(2026, 3, 11, 12, 59, 0, 0, time.UTC), // 07:59 CDT: not yet
		time.Date(2026, 3, 11, 13, 0, 0, 0, time.UTC),  // 08:00 CDT
		time.Date(2026, 3, 11, 14, 0, 0, 0, time.UTC),
	} {
		if err := digest(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := notify.DigestSweep(st, live)(ctx, time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	js, _ = st.JobsByKind(ctx, model.JobKindAlert)
	if len(js) != 2 {
		t.Fatalf("want one spike and one digest alert, got %d", len(js))
	}
	var a model.Alert
	json.Unmarshal(js[1].Payload, &a)
	if a.Event != "digest" || !strings.Contains(a.Body, "mentions") || js[1].DedupeKey != "digest:2026-03-11:comms" {
		t.Errorf("digest alert %+v key %s", a, js[1].DedupeKey)
	}
}
