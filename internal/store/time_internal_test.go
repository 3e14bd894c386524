package store

import (
	"testing"
	"time"
)

// TestFormatSQLiteTimeMatchesFormat checks the hand-written formatter
// against time.Format, which it replaces on the writer's path.
func TestFormatSQLiteTimeMatchesFormat(t *testing.T) {
	east := time.FixedZone("east", 5*3600+30*60)
	for _, tm := range []time.Time{
		{},
		time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2027, 1, 1, 4, 29, 59, 123_456_789, east), // the day before, in UTC
		time.Date(1999, 2, 28, 0, 0, 0, 1000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), // beyond four digits: time.Format's form
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := formatSQLiteTime(tm), tm.UTC().Format(sqliteTime); got != want {
			t.Errorf("formatSQLiteTime(%v) = %q, want %q", tm, got, want)
		}
	}
}

func FuzzFormatSQLiteTime(f *testing.F) {
	f.Add(int64(1_772_355_600), int64(0))
	f.Add(int64(-62_135_596_800), int64(999_999_999))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec)
		if got, want := formatSQLiteTime(tm), tm.UTC().Format(sqliteTime); got != want {
			t.Fatalf("formatSQLiteTime(%v) = %q, want %q", tm, got, want)
		}
	})
}

func BenchmarkFormatSQLiteTime(b *testing.B) {
	tm := time.Date(2026, 3, 1, 9, 0, 0, 123_456_000, time.UTC)
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			_ = formatSQLiteTime(tm)
		}
	})
	b.Run("time.Format", func(b *testing.B) {
		for b.Loop() {
			_ = tm.UTC().Format(sqliteTime)
		}
	})
}
