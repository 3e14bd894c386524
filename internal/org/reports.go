package org

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reports are the reports the organisation has emailed on a schedule.
type Reports struct {
	// Weekly is the weekly report email; nil sends none.
	Weekly *WeeklyReport `yaml:"weekly,omitempty" json:"weekly,omitempty"`
}

// WeeklyReport is the weekly report email: the week's headline figures,
// a chart of its volume and its praise, sent to To once a week on Day at
// At, in the organisation's time zone, for the seven days before.
type WeeklyReport struct {
	To List `yaml:"to" json:"to"`
	// Day is the weekday it goes out ("monday" when left out).
	Day string `yaml:"day,omitempty" json:"day,omitempty"`
	// At is the local time it goes out ("08:00" when left out).
	At string `yaml:"at,omitempty" json:"at,omitempty"`
}

// Defaults of the weekly report's schedule.
const (
	DefaultWeeklyDay = "monday"
	DefaultWeeklyAt  = "08:00"
)

// weekdays are the names day may take, in time.Weekday order.
var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// ParseWeekday reads a day name ("monday", or its first three letters,
// in any case).
func ParseWeekday(s string) (time.Weekday, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for i, d := range weekdays {
		if l == d || l == d[:3] {
			return time.Weekday(i), nil
		}
	}
	return 0, fmt.Errorf("day %q: want a day of the week such as monday", s)
}

// Weekday is the day the report goes out.
func (w *WeeklyReport) Weekday() time.Weekday {
	d, err := ParseWeekday(cmp.Or(w.Day, DefaultWeeklyDay))
	if err != nil {
		return time.Monday // validated files never get here
	}
	return d
}

// Clock is the local time the report goes out, in minutes after
// midnight.
func (w *WeeklyReport) Clock() int {
	m, err := ParseClock(cmp.Or(w.At, DefaultWeeklyAt))
	if err != nil {
		return 8 * 60 // validated files never get here
	}
	return m
}

// reports checks the reports block.
func (v *validator) reports(r *Reports) {
	if r == nil || r.Weekly == nil {
		return
	}
	w := r.Weekly
	p := path{"reports", "weekly"}
	if len(w.To) == 0 {
		v.fail(append(p, "to"), "the weekly report needs addresses in to")
	}
	seen := map[string]bool{}
	for i, to := range w.To {
		tp := path{"reports", "weekly", "to", i}
		if msg := emailProblem(to); msg != "" {
			v.fail(tp, "%s", msg)
		} else if seen[strings.ToLower(to)] {
			v.fail(tp, "%s is listed twice", to)
		}
		seen[strings.ToLower(to)] = true
	}
	if w.Day != "" {
		if _, err := ParseWeekday(w.Day); err != nil {
			v.fail(append(slices.Clone(p), "day"), "%v", err)
		}
	}
	if w.At != "" {
		if m, err := ParseClock(w.At); err != nil || m >= 24*60 {
			v.fail(append(slices.Clone(p), "at"), "time %q: want a local time HH:MM such as 08:00", w.At)
		}
	}
	if len(w.To) > 0 && (v.o.SMTP == nil || v.o.SMTP.Host == "" || v.o.SMTP.From == "") {
		v.fail(append(slices.Clone(p), "to"), "the weekly report email needs smtp: {host, from} at the top of the file")
	}
}
