package model

import "time"

// TimeRange returns the earliest and the latest time Earshot stores and
// shows: Go's zero time, 0001-01-01T00:00:00Z, through the last
// microsecond of 9999. Within it a time keeps four-digit years, which
// SQLite's fixed-width text form needs to sort and to read back, and
// which RFC 3339, the form of every time in Earshot's JSON, can write.
func TimeRange() (earliest, latest time.Time) {
	return time.Time{}, time.Date(9999, 12, 31, 23, 59, 59, 999_999_000, time.UTC)
}

// ClampTime returns t moved into TimeRange: the earliest time when t is
// before it, the latest when t is after it, t itself otherwise. A
// deadline computed from a time near the end of the range, or a stored
// time written before times were bounded, is shown as the latest time.
func ClampTime(t time.Time) time.Time {
	earliest, latest := TimeRange()
	switch {
	case t.Before(earliest):
		return earliest
	case t.After(latest):
		return latest
	}
	return t
}
