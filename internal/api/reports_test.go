package api

import (
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want time.Time
		ok   bool
	}{
		{"2026-04-01", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-04-01T09:30:00-05:00", time.Date(2026, 4, 1, 14, 30, 0, 0, time.UTC), true},
		{"2026-04-01T09:30:00.5Z", time.Date(2026, 4, 1, 9, 30, 0, 500_000_000, time.UTC), true},
		{"yesterday", time.Time{}, false},
		{"2026-02-30", time.Time{}, false},
		{"2026-04-01\x00", time.Time{}, false},
		{"", time.Time{}, false},
		{"9999-12-31T23:59:59-23:59", time.Time{}, false}, // the year 10000 in UTC
		{"0000-01-01T00:00:00+00:01", time.Time{}, false}, // the year -1
		{"9999-12-31T23:59:59Z", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), true},
	} {
		got, ok := parseWhen(tc.s)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v, %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseWhen holds the report window reader (from=, to=) to: a time
// that JSON can hold in UTC and that reads back the same from its RFC
// 3339 form, or no time.
func FuzzParseWhen(f *testing.F) {
	f.Add("2026-04-01")
	f.Add("2026-04-01T09:30:00-05:00")
	f.Add("9999-12-31T23:59:59.999999999+23:59")
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseWhen(s)
		if !ok {
			if !tm.IsZero() {
				t.Fatalf("parseWhen(%q) = %v without ok", s, tm)
			}
			return
		}
		if _, err := tm.UTC().MarshalJSON(); err != nil {
			t.Fatalf("parseWhen(%q) = %v, which the answer cannot hold: %v", s, tm, err)
		}
		again, ok := parseWhen(tm.Format(time.RFC3339Nano))
		if !ok || !again.Equal(tm) {
			t.Fatalf("parseWhen(%q) = %v, whose RFC 3339 form %q reads %v, %v", s, tm, tm.Format(time.RFC3339Nano), again, ok)
		}
	})
}
