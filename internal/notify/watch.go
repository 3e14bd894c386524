package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
)

// SpikeSlot is how often spikes are checked.
const SpikeSlot = 15 * time.Minute

// Spike settings when the file does not say.
const (
	defaultSpikeWindow = time.Hour
	defaultSpikeWeeks  = 4
	defaultSpikeFactor = 3.0
	defaultSpikeMin    = 20
)

// SpikeSweep returns a sweep that, once per 15-minute slot, compares the
// inbound volume and negative share of the last window with the same
// window in each of the past weeks, and alerts the targets subscribed to
// spike when either is well above usual. One alert per slot and target,
// whichever replica notices first.
func SpikeSweep(st *store.Store, live *route.Live) jobs.Sweep {
	var last time.Time // the slot this sweep last checked
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
		reason, err := spike(ctx, st, r.Org().Spike, slot)
		if err != nil {
			return err
		}
		last = slot
		if reason == "" {
			return nil
		}
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

// spike returns why the window ending at end is a spike, or "".
func spike(ctx context.Context, st *store.Store, s *org.Spike, end time.Time) (string, error) {
	window, weeks, factor, minN := defaultSpikeWindow, defaultSpikeWeeks, defaultSpikeFactor, defaultSpikeMin
	if s != nil {
		if s.Window > 0 {
			window = time.Duration(s.Window)
		}
		if s.Weeks > 0 {
			weeks = s.Weeks
		}
		if s.Factor > 0 {
			factor = s.Factor
		}
		if s.MinMentions > 0 {
			minN = s.MinMentions
		}
	}
	total, neg, err := st.MentionCounts(ctx, end.Add(-window), end)
	if err != nil || total < minN {
		return "", err
	}
	var sumTotal, sumNeg int
	for w := 1; w <= weeks; w++ {
		back := time.Duration(w) * 7 * 24 * time.Hour
		t, n, err := st.MentionCounts(ctx, end.Add(-window-back), end.Add(-back))
		if err != nil {
			return "", err
		}
		sumTotal, sumNeg = sumTotal+t, sumNeg+n
	}
	usual := float64(sumTotal) / float64(weeks)
	if float64(total) > factor*max(usual, 1) {
		return fmt.Sprintf("%d mentions in the last %v; usually %.0f", total, window, usual), nil
	}
	share := float64(neg) / float64(total)
	usualShare := 0.0
	if sumTotal > 0 {
		usualShare = float64(sumNeg) / float64(sumTotal)
	}
	if neg >= minN/2 && share > 0.2 && share > factor*usualShare {
		return fmt.Sprintf("%.0f%% of %d mentions negative in the last %v; usually %.0f%%", share*100, total, window, usualShare*100), nil
	}
	return "", nil
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
