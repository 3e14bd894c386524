package store

import (
	"fmt"
	"strings"
	"time"

	"earshot/internal/model"
)

// sqliteTime is the fixed-width text form of times in SQLite, so that
// comparing text compares times.
const sqliteTime = "2006-01-02T15:04:05.000000Z"

// storedTime is t as the store keeps it: UTC, to the microsecond (the
// precision of PostgreSQL's timestamptz and of the SQLite text form),
// cut rather than rounded on both engines, within model.TimeRange so
// that both engines read it back alike.
func storedTime(t time.Time) time.Time { return model.ClampTime(t.UTC().Truncate(time.Microsecond)) }

// formatSQLiteTime is t.UTC().Format(sqliteTime), digit by digit: the
// store writer formats several times a mention, and time.Format, which
// interprets its layout each call, took 2% of its work.
func formatSQLiteTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(sqliteTime)
	}
	hour, minute, sec := t.Clock()
	var b [len(sqliteTime)]byte
	put := func(at, v, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, year, 4)
	b[4] = '-'
	put(5, int(month), 2)
	b[7] = '-'
	put(8, day, 2)
	b[10] = 'T'
	put(11, hour, 2)
	b[13] = ':'
	put(14, minute, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/1000, 6)
	b[26] = 'Z'
	return string(b[:])
}

// dbTime scans a time stored by either engine, moved into
// model.TimeRange: a time beyond it, written before times were bounded
// (such as a deadline in the year 10000), reads as the range's end
// rather than failing every read of its row.
type dbTime struct {
	T     time.Time
	Valid bool
}

// Scan implements sql.Scanner.
func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = dbTime{}
		return nil
	case time.Time:
		*d = dbTime{T: model.ClampTime(x.UTC()), Valid: true}
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("scan time: unsupported type %T", v)
}

func (d *dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var ok bool
		if t, ok = beyondFourDigits(s); !ok {
			return fmt.Errorf("scan time %q: %w", s, err)
		}
	}
	*d = dbTime{T: model.ClampTime(t.UTC()), Valid: true}
	return nil
}

// beyondFourDigits reads the SQLite text of a time whose year has more
// than four digits or a sign, as time.Format writes it ("10000-01-01T…",
// "-0001-12-31T…"), which time.Parse refuses: it returns the end of
// model.TimeRange on the side the year lies.
func beyondFourDigits(s string) (time.Time, bool) {
	digits := strings.TrimPrefix(s, "-")
	n := strings.IndexByte(digits, '-')
	if n < 4 || strings.Trim(digits[:n], "0123456789") != "" {
		return time.Time{}, false
	}
	earliest, latest := model.TimeRange()
	switch {
	case s[0] == '-':
		return earliest, true
	case n > 4:
		return latest, true
	}
	return time.Time{}, false
}

// fromMillis reads a time stored as Unix milliseconds (timers, jobs),
// moved into model.TimeRange as dbTime does.
func fromMillis(ms int64) time.Time { return model.ClampTime(time.UnixMilli(ms).UTC()) }

func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.T
	return &t
}
