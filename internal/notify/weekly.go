package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"earshot/internal/egress"
	"earshot/internal/jobs"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/route"
	"earshot/internal/store"
)

// JobKindWeeklyReport is the kind of the durable job that builds and
// sends one week's report email.
const JobKindWeeklyReport = "weekly_report"

// WeeklyCatchUp is how long after its send time a week's report is
// still sent: a server down at 08:00 on Monday sends it when it is back
// that day, and a reports.weekly block added on a Wednesday waits for
// the next Monday rather than sending last week's at once.
const WeeklyCatchUp = 24 * time.Hour

// weeklyJob is the payload of a weekly report job: the week and the
// addresses it goes to, as the organisation file said when it was due.
type weeklyJob struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Addresses are the recipients.
	Addresses []string `json:"addresses"`
}

// LastWeek returns the week whose report went out last at or before
// now: [from, to), where to is the latest send time (the day and time of
// w, in loc) not after now, and from the same time seven days before.
func LastWeek(w *org.WeeklyReport, loc *time.Location, now time.Time) (from, to time.Time) {
	local := now.In(loc)
	y, m, d := local.Date()
	back := (int(local.Weekday()) - int(w.Weekday()) + 7) % 7
	clock := w.Clock()
	to = time.Date(y, m, d-back, clock/60, clock%60, 0, 0, loc)
	if to.After(now) {
		to = time.Date(y, m, d-back-7, clock/60, clock%60, 0, 0, loc)
	}
	return WeekFrom(w, loc, to.AddDate(0, 0, -7))
}

// WeekFrom returns the week that begins on day's local date (in loc) at
// the send time of w: [from, to), seven days in loc's calendar (168
// hours but across a change of clocks).
func WeekFrom(w *org.WeeklyReport, loc *time.Location, day time.Time) (from, to time.Time) {
	y, m, d := day.In(loc).Date()
	clock := w.Clock()
	from = time.Date(y, m, d, clock/60, clock%60, 0, 0, loc)
	return from, time.Date(y, m, d+7, clock/60, clock%60, 0, 0, loc)
}

// weeklyKey is the dedupe key of the report of the week ending at to for
// the addresses: one job per week and address set, however many replicas
// sweep and however often they restart.
func weeklyKey(to time.Time, loc *time.Location, addresses []string) string {
	set := make([]string, len(addresses))
	for i, a := range addresses {
		set[i] = strings.ToLower(a)
	}
	slices.Sort(set)
	set = slices.Compact(set)
	sum := sha256.Sum256([]byte(strings.Join(set, "\n")))
	return "weekly:" + to.In(loc).Format("2006-01-02T15:04") + ":" + hex.EncodeToString(sum[:8])
}

// WeeklySweep returns a sweep that, once the send time of the weekly
// report has passed (reports.weekly of the organisation file: day and
// time in the organisation's time zone, Monday 08:00 by default), and
// for WeeklyCatchUp after it, enqueues the report of the seven days
// before for the addresses of the file. The dedupe key (the week and the
// address set) makes it once per week across replicas and restarts.
func WeeklySweep(st *store.Store, live *route.Live) jobs.Sweep {
	var lastKey string
	return func(ctx context.Context, now time.Time) error {
		r := live.Router()
		o := r.Org()
		if o.Reports == nil || o.Reports.Weekly == nil || len(o.Reports.Weekly.To) == 0 {
			return nil
		}
		w := o.Reports.Weekly
		loc := r.Location()
		from, to := LastWeek(w, loc, now)
		if now.Sub(to) >= WeeklyCatchUp {
			return nil
		}
		key := weeklyKey(to, loc, w.To)
		if key == lastKey {
			return nil
		}
		payload, err := json.Marshal(weeklyJob{From: from.UTC(), To: to.UTC(), Addresses: w.To})
		if err != nil {
			return fmt.Errorf("weekly report job: %w", err)
		}
		if _, err := st.EnqueueJobs(ctx, now, store.NewJob{Kind: JobKindWeeklyReport, Payload: payload, RunAt: now, DedupeKey: key}); err != nil {
			return fmt.Errorf("enqueue weekly report: %w", err)
		}
		lastKey = key
		return nil
	}
}

// WeeklyHandler returns the job handler that builds the weekly report of
// a job's week from reports and sends it through the organisation
// file's mail server. Without smtp in the file the job is dead-lettered;
// a failed delivery is retried.
func (n *Notifier) WeeklyHandler(live *route.Live, reports *report.Reports) jobs.Handler {
	return func(ctx context.Context, j store.Job) error {
		var wj weeklyJob
		if err := json.Unmarshal(j.Payload, &wj); err != nil {
			return jobs.Permanent(fmt.Errorf("decode weekly report job: %w", err))
		}
		o := live.Router().Org()
		err := n.SendWeekly(ctx, o, reports, wj.From, wj.To, wj.Addresses)
		if err == nil {
			n.opts.Logger.Info("weekly report sent", "from", wj.From, "to", wj.To, "addresses", len(wj.Addresses))
			return nil
		}
		var perm interface{ Permanent() bool }
		if errors.As(err, &perm) && perm.Permanent() {
			return jobs.Permanent(err)
		}
		return err
	}
}

// SendWeekly builds the weekly report of [from, to) and sends it to
// addresses through o's mail server.
func (n *Notifier) SendWeekly(ctx context.Context, o *org.Org, reports *report.Reports, from, to time.Time, addresses []string) error {
	if o.SMTP == nil || o.SMTP.Host == "" {
		return configError{"the weekly report needs smtp settings in the organisation file"}
	}
	w, err := BuildWeekly(ctx, reports, o, from, to, n.opts.PublicURL)
	if err != nil {
		return err
	}
	m, err := w.Message(o.SMTP.From, addresses)
	if err != nil {
		return err
	}
	err = n.sendMail(ctx, o.SMTP, m)
	var re *egress.RefusedError
	if errors.As(err, &re) {
		return configError{fmt.Sprintf("weekly report: %v; %s", err, org.PrivateTargets)}
	}
	return err
}
