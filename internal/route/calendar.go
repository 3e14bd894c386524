package route

import (
	"fmt"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
)

// maxDays bounds how far a calendar walks; a policy longer than this many
// days of business time is cut there.
const maxDays = 800

// Calendar counts time around the clock or within business hours in a
// time zone, skipping holidays. The zero Calendar counts 24/7 in UTC.
type Calendar struct {
	loc      *time.Location
	business bool
	days     [7]bool
	from, to int // minutes after local midnight; to may be 1440
	holidays map[string]bool
}

// AllDay returns a calendar that counts every minute.
func AllDay() *Calendar { return &Calendar{loc: time.UTC} }

// NewCalendar returns the calendar of hours h in loc with the given
// holidays (YYYY-MM-DD, local dates).
func NewCalendar(h org.Hours, loc *time.Location, holidays []string) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc}
	if !h.Business() {
		return c, nil
	}
	var err error
	if c.days, err = org.ParseDays(h.Days); err != nil {
		return nil, err
	}
	if c.from, err = org.ParseClock(h.From); err != nil {
		return nil, err
	}
	if c.to, err = org.ParseClock(h.To); err != nil {
		return nil, err
	}
	if c.from >= c.to || c.days == [7]bool{} {
		return nil, fmt.Errorf("hours %s %s-%s are never open", h.Days, h.From, h.To)
	}
	c.business = true
	c.holidays = make(map[string]bool, len(holidays))
	for _, d := range holidays {
		c.holidays[d] = true
	}
	return c, nil
}

// Business reports whether the calendar counts business hours only.
func (c *Calendar) Business() bool { return c != nil && c.business }

// open returns the business interval of the local day that starts at
// midnight (a local midnight), and whether the day is open at all.
func (c *Calendar) open(midnight time.Time) (time.Time, time.Time, bool) {
	y, m, d := midnight.Date()
	if !c.days[midnight.Weekday()] || c.holidays[midnight.Format("2006-01-02")] {
		return time.Time{}, time.Time{}, false
	}
	// time.Date resolves wall times that DST skips or repeats, so an
	// 08:00 opening is 08:00 local on both sides of a change.
	start := time.Date(y, m, d, c.from/60, c.from%60, 0, 0, c.loc)
	end := time.Date(y, m, d, c.to/60, c.to%60, 0, 0, c.loc) // 24:00 is the next midnight
	return start, end, true
}

func (c *Calendar) midnight(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

func nextMidnight(mid time.Time) time.Time {
	y, m, d := mid.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, mid.Location())
}

// Add returns the time when d of counted time has passed after t, within
// model.TimeRange (a due time past its end is kept as the end).
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	return model.ClampTime(c.add(t, d))
}

func (c *Calendar) add(t time.Time, d time.Duration) time.Time {
	if !c.Business() {
		return t.Add(d)
	}
	if d <= 0 {
		return t
	}
	mid := c.midnight(t)
	for range maxDays {
		if start, end, ok := c.open(mid); ok {
			if t.After(start) {
				start = t
			}
			if avail := end.Sub(start); avail > 0 {
				if d <= avail {
					return start.Add(d)
				}
				d -= avail
			}
		}
		mid = nextMidnight(mid)
	}
	return mid
}

// Between returns the counted time from a to b (0 when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if !c.Business() {
		return b.Sub(a)
	}
	var total time.Duration
	for mid, n := c.midnight(a), 0; mid.Before(b) && n < maxDays; mid, n = nextMidnight(mid), n+1 {
		start, end, ok := c.open(mid)
		if !ok {
			continue
		}
		if a.After(start) {
			start = a
		}
		if b.Before(end) {
			end = b
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return total
}

// Shift moves a due time set before a pause so that the counted time
// left at pausedAt is left again at resumedAt. A time already passed at
// the pause stays.
func (c *Calendar) Shift(due, pausedAt, resumedAt time.Time) time.Time {
	if !due.After(pausedAt) {
		return due
	}
	return c.Add(resumedAt, c.Between(pausedAt, due))
}
