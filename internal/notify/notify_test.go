package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/egress"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// inside is the Policy of tests whose targets are httptest servers on
// loopback: they need the operator's leave.
func inside() egress.Policy { return egress.Policy{AllowPrivate: true} }

func liveOrg(t testing.TB, src string) *route.Live {
	t.Helper()
	o, err := org.ParseWith([]byte(src), org.Options{Egress: inside()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	return route.NewLive(r)
}

func alertJob(target, key string, at time.Time) store.NewJob {
	p, _ := json.Marshal(model.Alert{Target: target, Event: "sla_breach", CaseID: 7, Priority: "high", Platform: "x", Reason: "first response overdue", At: at})
	return store.NewJob{Kind: model.JobKindAlert, Payload: p, DedupeKey: key, RunAt: at}
}

// TestRetryAcrossRestart shows an alert that fails is retried with
// backoff, survives a restart (a new store handle, notifier and runner),
// and is delivered once the endpoint answers; a 4xx dead-letters.
func TestRetryAcrossRestart(t *testing.T) {
	ctx := context.Background()
	var fail atomic.Int32
	fail.Store(http.StatusServiceUnavailable)
	var got atomic.Int32
	rec := newRecorder(t, 200)
	rec.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if code := fail.Load(); code != 0 {
			w.WriteHeader(int(code))
			return
		}
		got.Add(1)
	})
	src := fmt.Sprintf("organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: slack, url: %q}\n  - {id: gone, type: slack, url: %q}\n", rec.srv.URL, rec.srv.URL)
	live := liveOrg(t, src)
	cfg := storetest.Config(t)
	t0 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	var clk atomic.Int64
	clk.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clk.Load()).UTC() }
	start := func() (*store.Store, *jobs.Runner) {
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := jobs.New(st, jobs.Options{Now: now})
		r.Handle(model.JobKindAlert, notify.New(notify.Options{Now: now, Egress: inside()}).Handler(live))
		return st, r
	}
	st, r := start()
	st.EnqueueJobs(ctx, t0, alertJob("hook", "a1", t0))
	r.Tick(ctx)
	st.Close() // the process stops

	fail.Store(0)
	st, r = start()
	defer st.Close()
	clk.Store(t0.Add(10 * time.Second).UnixNano())
	r.Tick(ctx)
	if got.Load() != 0 {
		t.Fatal("retried before the backoff")
	}
	clk.Store(t0.Add(16 * time.Second).UnixNano())
	r.Tick(ctx)
	if got.Load() != 1 {
		t.Fatalf("%d deliveries after restart and backoff, want 1", got.Load())
	}

	fail.Store(http.StatusNotFound)
	st.EnqueueJobs(ctx, now(), alertJob("gone", "a2", now()))
	r.Tick(ctx)
	dead, _ := st.DeadJobs(ctx, 10)
	if len(dead) != 1 || dead[0].DedupeKey != "a2" || dead[0].Attempts != 1 {
		t.Errorf("a refused alert should be dead at once: %+v", dead)
	}
}

func TestRateLimitPerTarget(t *testing.T) {
	ctx := context.Background()
	var got atomic.Int32
	rec := newRecorder(t, 200)
	rec.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) })
	live := liveOrg(t, fmt.Sprintf("organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: teams, url: %q, per_minute: 2}\n", rec.srv.URL))
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	var clk atomic.Int64
	clk.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clk.Load()).UTC() }
	r := jobs.New(st, jobs.Options{Now: now})
	r.Handle(model.JobKindAlert, notify.New(notify.Options{Now: now, Egress: inside()}).Handler(live))
	for i := range 5 {
		st.EnqueueJobs(ctx, t0, alertJob("hook", fmt.Sprint("k", i), t0))
	}
	r.Tick(ctx)
	if got.Load() != 2 {
		t.Fatalf("%d deliveries in the first instant, want the burst of 2", got.Load())
	}
	// The bucket holds at most 2: two more after a minute, the last one
	// 30 seconds later.
	for _, step := range []struct {
		at   time.Duration
		want int32
	}{{20 * time.Second, 2}, {90 * time.Second, 4}, {100 * time.Second, 4}, {120 * time.Second, 5}} {
		clk.Store(t0.Add(step.at).UnixNano())
		r.Tick(ctx)
		if got.Load() != step.want {
			t.Errorf("at +%v: %d deliveries at 2/min, want %d", step.at, got.Load(), step.want)
		}
	}
	if dead, _ := st.DeadJobs(ctx, 10); len(dead) != 0 {
		t.Errorf("rate-limited alerts were dead-lettered: %+v", dead)
	}
}

func TestRender(t *testing.T) {
	o := &org.Org{Organization: "Lone Star", BaseURL: "https://e.example.org/"}
	m := notify.Render(o, model.Alert{Event: "critical", CaseID: 12, Priority: "urgent", Platform: "x", Reason: "critical urgency"})
	if m.Subject != "[Earshot] Critical mention: case 12 (urgent, x)" || m.Link != "https://e.example.org/cases/12" {
		t.Errorf("Render = %+v", m)
	}
	d := notify.Render(o, model.Alert{Event: "digest", Reason: "Daily digest", Body: "3 mentions"})
	if d.Subject != "[Earshot] Daily digest: Lone Star" || d.Link != "" {
		t.Errorf("digest Render = %+v", d)
	}
}
