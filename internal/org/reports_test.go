package org

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const weeklyBase = `organization: T
timezone: America/Chicago
smtp: {host: mail.example.org, from: earshot@example.org}
reports:
  weekly:
    to: [comms@example.org, cmo@example.org]
    day: tuesday
    at: "07:30"
`

func TestWeeklyReportParsesAndRoundTrips(t *testing.T) {
	o, err := Parse([]byte(weeklyBase))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	w := o.Reports.Weekly
	if !slices.Equal(w.To, List{"comms@example.org", "cmo@example.org"}) || w.Weekday() != time.Tuesday || w.Clock() != 7*60+30 {
		t.Errorf("weekly = %+v (day %v, clock %d)", w, w.Weekday(), w.Clock())
	}
	canon := o.Canonical()
	if !strings.Contains(string(canon), `"reports":{"weekly":{"to":["comms@example.org","cmo@example.org"],"day":"tuesday","at":"07:30"}}`) {
		t.Errorf("canonical form: %s", canon)
	}
	o2, err := Parse(canon)
	if err != nil {
		t.Fatalf("Parse(canonical): %v", err)
	}
	if string(o2.Canonical()) != string(canon) {
		t.Errorf("round trip differs:\n%s\n%s", o2.Canonical(), canon)
	}
	// Left out, day and time take Monday 08:00; one address may be one string.
	d, err := Parse([]byte("organization: T\ntimezone: UTC\nsmtp: {host: mail.example.org, from: e@example.org}\nreports: {weekly: {to: comms@example.org}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if dw := d.Reports.Weekly; !slices.Equal(dw.To, List{"comms@example.org"}) || dw.Weekday() != time.Monday || dw.Clock() != 8*60 {
		t.Errorf("defaults: %+v", dw)
	}
	// Days may be written short and in capitals.
	if day, err := ParseWeekday("Fri"); err != nil || day != time.Friday {
		t.Errorf("ParseWeekday(Fri) = %v, %v", day, err)
	}
	if removed := Changes(o, d); len(removed) != 0 {
		t.Errorf("changing the schedule removes %v", removed)
	}
	d.Reports = nil
	if removed := Changes(o, d); !slices.Equal(removed, []string{"weekly report email (no longer sent)"}) {
		t.Errorf("removing the block: %v", removed)
	}
}

func TestWeeklyReportProblemsNameLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"bad address", "cmo@example.org]", "cmo-at-example.org]", []string{"line 6", "reports.weekly.to[1]", `email "cmo-at-example.org"`}},
		{"address with a name", "[comms@example.org,", "[Comms Team <comms@example.org>,", []string{"line 6", "reports.weekly.to[0]"}},
		{"address twice", "cmo@example.org]", "COMMS@example.org]", []string{"reports.weekly.to[1]", "listed twice"}},
		{"no address", "to: [comms@example.org, cmo@example.org]", "to: []", []string{"line 6", "reports.weekly.to", "needs addresses"}},
		{"bad day", "day: tuesday", "day: tuesdya", []string{"line 7", "reports.weekly.day", `day "tuesdya"`, "day of the week"}},
		{"bad time", `at: "07:30"`, `at: "7.30am"`, []string{"line 8", "reports.weekly.at", `time "7.30am"`, "HH:MM"}},
		{"end of day", `at: "07:30"`, `at: "24:00"`, []string{"line 8", "reports.weekly.at"}},
		{"no mail server", "smtp: {host: mail.example.org, from: earshot@example.org}", "", []string{"reports.weekly.to", "smtp"}},
		{"unknown key", "day: tuesday", "weekday: tuesday", []string{"line 7", "weekday"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(weeklyBase, tc.from, tc.to, 1)
			if data == weeklyBase {
				t.Fatalf("%q not in the file", tc.from)
			}
			_, err := Parse([]byte(data))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
