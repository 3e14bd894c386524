package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/route"
	"earshot/internal/store"
)

// SpikeSlot is how often spikes are checked.
const SpikeSlot = 15 * time.Minute

// SpikeSweep returns a sweep that, once per 15-minute slot, judges the
// window of the organisation's spike settings that ends at the slot by
// report's one definition of a spike (the inbound volume and negative
// share against the same window, weekday and clock time of the past
// weeks in the organisation's zone), and alerts the targets subscribed
// to spike when it is one. One alert per slot and target, whichever
// replica notices first.
func SpikeSweep(st *store.Store, live *route.Live) jobs.Sweep {
	var last time.Time // the slot this sweep last checked
	reports := report.New(st, report.Options{})
	return func(ctx context.Context, now time.Time) error {
		slot := now.Truncate(SpikeSlot)
		if !slot.After(last) {
			return nil
		}
		r := live.Router()
		targets := r.Subscribers(org.OnSpike)
		if len(targets) == 0 {
			last = slot
			return nil
		}
		sp, err := reports.SpikeAt(ctx, slot, report.SpikeSettingsOf(r.Org().Spike), r.Location())
		if err != nil {
			return err
		}
		last = slot
		if sp == nil {
			return nil
		}
		reason := sp.Describe()
		var js []store.NewJob
		for _, t := range targets {
			payload, _ := json.Marshal(model.Alert{Target: t, Event: org.OnSpike, Reason: reason, At: now})
			js = append(js, store.NewJob{Kind: model.JobKindAlert, Payload: payload, RunAt: now,
				DedupeKey: fmt.Sprintf("spike:%d:%s", slot.Unix(), t)})
		}
		_, err = st.EnqueueJobs(ctx, now, js...)
		return err
	}
}

// DigestSweep returns a sweep that enqueues the daily digest for targets
// subscribed to digest once the organisation's digest time (default
// 08:00 local) has passed each day: figures of the 24 hours before, and
// the cases open. The dedupe key (the local date) makes it once a day
// across replicas and restarts.
func DigestSweep(st *store.Store, live *route.Live) jobs.Sweep {
	var lastDay string
	return func(ctx context.Context, now time.Time) error {
		r := live.Router()
		o := r.Org()
		targets := r.Subscribers(org.OnDigest)
		if len(targets) == 0 {
			return nil
		}
		loc, err := time.LoadLocation(o.Timezone)
		if err != nil {
			return fmt.Errorf("digest time zone: %w", err)
		}
		at := "08:00"
		if o.Digest != "" {
			at = o.Digest
		}
		mins, err := org.ParseClock(at)
		if err != nil {
			return err
		}
		local := now.In(loc)
		y, m, d := local.Date()
		due := time.Date(y, m, d, mins/60, mins%60, 0, 0, loc)
		day := due.Format("2006-01-02")
		if now.Before(due) || day == lastDay {
			return nil
		}
		c, err := st.DigestCounts(ctx, due.Add(-24*time.Hour), due)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("Last 24 hours: %d mentions (%d negative), %d new cases, %d deadlines missed. Open cases now: %d.",
			c.Mentions, c.Negative, c.NewCases, c.Breaches, c.Open)
		var js []store.NewJob
		for _, t := range targets {
			payload, _ := json.Marshal(model.Alert{Target: t, Event: org.OnDigest, Reason: "Daily digest for " + day, Body: body, At: now})
			js = append(js, store.NewJob{Kind: model.JobKindAlert, Payload: payload, RunAt: now, DedupeKey: "digest:" + day + ":" + t})
		}
		if _, err := st.EnqueueJobs(ctx, now, js...); err != nil {
			return err
		}
		lastDay = day
		return nil
	}
}
