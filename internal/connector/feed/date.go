package feed

import (
	"strings"
	"time"
)

// dateLayouts are the forms of RFC 822 / RFC 1123 dates met in feeds
// (the weekday, often wrong, is cut off first) and the RFC 3339 forms of
// Atom and dc:date.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// zoneOffsets are the zone names RFC 822 allows, and the US ones feeds
// use, as offsets: Go would read an unknown abbreviation as UTC.
var zoneOffsets = map[string]string{
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
}

// parseDate reads a feed's date; the zero time when none of the forms
// fits.
func parseDate(s string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}
	}
	if comma := strings.IndexByte(s, ','); comma >= 0 && comma <= 10 {
		s = strings.TrimSpace(s[comma+1:]) // "Mon, " or "Monday, "
	}
	if sp := strings.LastIndexByte(s, ' '); sp >= 0 {
		if off, ok := zoneOffsets[strings.ToUpper(s[sp+1:])]; ok {
			s = s[:sp+1] + off
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
