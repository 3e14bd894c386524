package route

import (
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
)

func TestCalendar(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	business, err := NewCalendar(org.Hours{Days: "mon-fri", From: "08:00", To: "18:00"}, chicago, []string{"2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	late, err := NewCalendar(org.Hours{Days: "mon-sun", From: "00:00", To: "24:00"}, chicago, nil)
	if err != nil {
		t.Fatal(err)
	}
	allDay, _ := NewCalendar(org.Hours{AllDay: true}, chicago, nil)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, chicago)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		name  string
		cal   *Calendar
		start string
		d     time.Duration
		want  string
	}{
		{"within the day", business, "2026-03-03 09:00", time.Hour, "2026-03-03 10:00"},
		{"before opening", business, "2026-03-03 06:00", time.Hour, "2026-03-03 09:00"},
		{"over the night", business, "2026-03-03 17:30", time.Hour, "2026-03-04 08:30"},
		{"over the weekend", business, "2026-02-27 17:00", 2 * time.Hour, "2026-03-02 09:00"},
		// DST starts Sunday 8 March 2026 in Chicago: Monday 09:00 is CDT.
		{"weekend with spring forward", business, "2026-03-06 17:00", 2 * time.Hour, "2026-03-09 09:00"},
		// DST ends Sunday 1 November 2026.
		{"weekend with fall back", business, "2026-10-30 17:00", 2 * time.Hour, "2026-11-02 09:00"},
		{"holiday skipped", business, "2026-12-24 17:00", 2 * time.Hour, "2026-12-28 09:00"},
		{"saturday start", business, "2026-03-07 12:00", 30 * time.Minute, "2026-03-09 08:30"},
		{"whole days", business, "2026-03-02 08:00", 20 * time.Hour, "2026-03-03 18:00"},
		// Around the clock the 2:00-3:00 hour that DST skips is not counted:
		// 01:30 CST plus one hour is 03:30 CDT.
		{"24/7 over spring forward", allDay, "2026-03-08 01:30", time.Hour, "2026-03-08 03:30"},
		{"midnight to midnight calendar over spring forward", late, "2026-03-08 01:30", time.Hour, "2026-03-08 03:30"},
		{"24/7 over fall back", allDay, "2026-11-01 00:30", 2 * time.Hour, "2026-11-01 01:30"},
		{"zero", business, "2026-03-07 12:00", 0, "2026-03-07 12:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := at(tc.start)
			got := tc.cal.Add(start, tc.d)
			want := at(tc.want)
			if tc.name == "24/7 over fall back" {
				want = want.Add(time.Hour) // the second 01:30, in CST
			}
			if !got.Equal(want) {
				t.Fatalf("Add(%s, %v) = %s, want %s", tc.start, tc.d, got.In(chicago), want)
			}
			if tc.d > 0 {
				if back := tc.cal.Between(start, got); back != tc.d {
					t.Errorf("Between(start, Add(start, %v)) = %v", tc.d, back)
				}
			}
		})
	}
}

func TestCalendarShift(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	cal, _ := NewCalendar(org.Hours{Days: "mon-fri", From: "08:00", To: "18:00"}, chicago, nil)
	due := time.Date(2026, 3, 3, 12, 0, 0, 0, chicago)    // Tuesday noon
	paused := time.Date(2026, 3, 3, 10, 0, 0, 0, chicago) // 2h left
	resumed := time.Date(2026, 3, 5, 17, 0, 0, 0, chicago)
	if got, want := cal.Shift(due, paused, resumed), time.Date(2026, 3, 6, 9, 0, 0, 0, chicago); !got.Equal(want) {
		t.Errorf("Shift = %v, want %v", got, want)
	}
	if got := cal.Shift(due, due.Add(time.Hour), resumed); !got.Equal(due) {
		t.Errorf("a due time passed before the pause moved to %v", got)
	}
	if got, want := AllDay().Shift(due, paused, resumed), resumed.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("24/7 Shift = %v, want %v", got, want)
	}
}

func TestCalendarStaysWithinTimeRange(t *testing.T) {
	_, latest := model.TimeRange()
	business, err := NewCalendar(org.Hours{Days: "mon-fri", From: "08:00", To: "18:00"}, time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	lastDay := time.Date(9999, 12, 31, 9, 0, 0, 0, time.UTC) // a Friday
	for _, tc := range []struct {
		name string
		got  time.Time
	}{
		{"24/7", AllDay().Add(lastDay, 30*24*time.Hour)},
		{"business hours", business.Add(lastDay, 30*time.Hour)},
		{"business hours, longer than the walk", business.Add(lastDay, 100*365*24*time.Hour)},
		{"shift", business.Shift(latest, time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), lastDay)},
		{"default policy", DefaultPolicy().FirstResponseDue(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), model.PriorityLow)},
	} {
		if !tc.got.Equal(latest) {
			t.Errorf("%s: %v, want the end of the time range, %v", tc.name, tc.got, latest)
		}
	}
	// Within the range nothing moves.
	if got, want := business.Add(lastDay, 2*time.Hour), lastDay.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("Add on the last day = %v, want %v", got, want)
	}
}
