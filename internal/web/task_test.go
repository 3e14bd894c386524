package web

import (
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

func TestParseDue(t *testing.T) {
	for _, tc := range []struct {
		due, offset string
		want        time.Time
		ok          bool
	}{
		{"2030-01-02T09:30", "", time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC), true},
		{"2030-01-02T09:30", "-60", time.Date(2030, 1, 2, 8, 30, 0, 0, time.UTC), true},
		{"2030-01-02T09:30", "300", time.Date(2030, 1, 2, 14, 30, 0, 0, time.UTC), true},
		{"2030-01-02T09:30", "900", time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC), true}, // 15 h: no zone, ignored
		{"2030-01-02T09:30", "1h", time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC), true},  // not minutes, ignored
		{"2030-01-02T09:30", "99999999999", time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC), true},
		{"tomorrow", "", time.Time{}, false},
		{"2030-01-02T09:30\x00", "", time.Time{}, false},
		{"0001-01-01T00:00", "", time.Time{}, false},
		{"9999-12-31T23:59", "-899", time.Time{}, false},
	} {
		got, err := parseDue(tc.due, tc.offset)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseDue(%q, %q) = %v, %v; want %v, ok %v", tc.due, tc.offset, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzParseDue holds the task form's due time reader to: a UTC time a
// task may have, within 15 hours of the wall time typed, or a sentence
// saying what is wrong.
func FuzzParseDue(f *testing.F) {
	f.Add("2030-01-02T09:30", "-60")
	f.Add("2199-12-31T23:59", "-899")
	f.Add("1990-01-01T00:00", "899")
	f.Add("2030-13-02T09:30", "x")
	f.Fuzz(func(t *testing.T, due, offset string) {
		d, err := parseDue(due, offset)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "The due time must be") || !strings.HasSuffix(msg, ".") {
				t.Fatalf("parseDue(%q, %q): %q is not a sentence saying what is wrong", due, offset, msg)
			}
			return
		}
		if d.Location() != time.UTC || !model.TaskDueOK(d) {
			t.Fatalf("parseDue(%q, %q) = %v: not a UTC time a task may have", due, offset, d)
		}
		wall, werr := time.Parse(dueLayout, due)
		if diff := d.Sub(wall); werr != nil || diff <= -15*time.Hour || diff >= 15*time.Hour {
			t.Fatalf("parseDue(%q, %q) = %v, %v from the wall time (%v)", due, offset, d, diff, werr)
		}
	})
}
