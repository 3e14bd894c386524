package store

import (
	"testing"
	"time"

	"earshot/internal/model"
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

func TestDBTimeReadsTimesBeyondTheRange(t *testing.T) {
	earliest, latest := model.TimeRange()
	for _, tc := range []struct {
		in   any
		want time.Time
		ok   bool
	}{
		{"2026-03-01T09:00:00.000000Z", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), true},
		{"9999-12-31T23:59:59.999999Z", latest, true},
		// As time.Format wrote them before times were bounded.
		{"10000-01-01T03:59:59.000000Z", latest, true},
		{"292277026596-12-04T15:30:07.000000Z", latest, true},
		{"-0001-12-31T00:00:00.000000Z", earliest, true},
		{"0000-06-01T00:00:00.000000Z", earliest, true},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), latest, true},
		{time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), earliest, true},
		{[]byte("10000-01-01T03:59:59.000000Z"), latest, true},
		{"yesterday", time.Time{}, false},
		{"100a0-01-01T00:00:00Z", time.Time{}, false},
		{"1000-1-01T00:00:00Z", time.Time{}, false},
		{"-", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		var d dbTime
		err := d.Scan(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (!d.Valid || !d.T.Equal(tc.want))) {
			t.Errorf("Scan(%v) = %v, %v; want %v (ok %v)", tc.in, d.T, err, tc.want, tc.ok)
		}
	}
}

func TestStoredTimeStaysWithinTheRange(t *testing.T) {
	earliest, latest := model.TimeRange()
	for _, tc := range []struct{ in, want time.Time }{
		{time.Date(10000, 1, 1, 3, 59, 59, 0, time.UTC), latest},
		{time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), latest},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), earliest},
		{time.Date(2026, 3, 1, 9, 0, 0, 1500, time.UTC), time.Date(2026, 3, 1, 9, 0, 0, 1000, time.UTC)},
	} {
		if got := storedTime(tc.in); !got.Equal(tc.want) {
			t.Errorf("storedTime(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if got := (&Store{engine: SQLite}).ts(tc.in); got != formatSQLiteTime(tc.want) {
			t.Errorf("ts(%v) on SQLite = %v, want %v", tc.in, got, formatSQLiteTime(tc.want))
		}
	}
}

// FuzzStoredTimeReadsBack holds that any time, once stored, reads back
// as storedTime says, and that reading any text either fails or gives a
// time within the range.
func FuzzStoredTimeReadsBack(f *testing.F) {
	f.Add(int64(1_772_355_600), int64(0), "2026-03-01T09:00:00.000000Z")
	f.Add(int64(253_402_300_799), int64(999_999_999), "10000-01-01T03:59:59.000000Z")
	f.Add(int64(-62_135_596_801), int64(0), "-0001-12-31T00:00:00.000000Z")
	f.Fuzz(func(t *testing.T, sec, nsec int64, text string) {
		tm := time.Unix(sec, nsec)
		var d dbTime
		if err := d.Scan((&Store{engine: SQLite}).ts(tm)); err != nil || !d.T.Equal(storedTime(tm)) {
			t.Fatalf("%v stored on SQLite reads back as %v, %v; want %v", tm, d.T, err, storedTime(tm))
		}
		if err := d.Scan((&Store{engine: Postgres}).ts(tm)); err != nil || !d.T.Equal(storedTime(tm)) {
			t.Fatalf("%v stored on PostgreSQL reads back as %v, %v; want %v", tm, d.T, err, storedTime(tm))
		}
		earliest, latest := model.TimeRange()
		if err := d.Scan(text); err == nil && (d.T.Before(earliest) || d.T.After(latest)) {
			t.Fatalf("%q reads as %v, outside the range", text, d.T)
		}
	})
}
