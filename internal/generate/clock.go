package generate

// The daily and weekly rhythm of mentions, in the organisation's local
// time (US Central, fixed at UTC-6), and the occasional incident that
// makes volume spike on one subject.

// localOffset is the organisation's local time offset from UTC, in seconds.
const localOffset = -6 * 3600

// hourWeight is the relative volume per local hour: quiet at night, busy
// late morning and again in the evening.
var hourWeight = [24]float64{
	0.25, 0.18, 0.14, 0.12, 0.13, 0.22, 0.45, 0.80, 1.15, 1.45, 1.60, 1.60,
	1.55, 1.50, 1.45, 1.40, 1.35, 1.30, 1.30, 1.40, 1.45, 1.30, 0.95, 0.55,
}

// dayWeight is the relative volume per weekday, Sunday first: Mondays are
// busiest, weekends quieter.
var dayWeight = [7]float64{0.80, 1.18, 1.12, 1.06, 1.02, 0.95, 0.78}

// incidentTopics are the complaint topics an incident is about.
var incidentTopics = []string{"portal", "billing", "wait_time", "id_card", "claim"}

const incidentBoost = 2.5

// rhythm holds the normalised weights and the current day's incident.
type rhythm struct {
	hour [24]float64 // normalised so the weekly mean of hour*day is 1
	day  [7]float64
	max  float64 // the largest weight, incidents included

	incDay   int64 // local day the fields below describe
	incStart int64 // local seconds of day; incEnd == 0 means no incident
	incEnd   int64
	incTopic int // index into topics
}

func newRhythm() rhythm {
	var rh rhythm
	var sh, sd, mh, md float64
	for _, w := range hourWeight {
		sh += w
		mh = max(mh, w)
	}
	for _, w := range dayWeight {
		sd += w
		md = max(md, w)
	}
	for i, w := range hourWeight {
		rh.hour[i] = w * 24 / sh
	}
	for i, w := range dayWeight {
		rh.day[i] = w * 7 / sd
	}
	rh.max = (mh * 24 / sh) * (md * 7 / sd) * incidentBoost
	rh.incDay = -1 << 62
	return rh
}

// localDay splits a Unix time into the local day number and seconds into
// that day.
func localDay(unix int64) (day, sec int64) {
	l := unix + localOffset
	day = l / 86400
	if l%86400 < 0 {
		day--
	}
	return day, l - day*86400
}

// weight returns the relative volume at Unix time unix, and the incident
// topic in force (-1 if none).
func (g *Generator) weight(unix int64) (float64, int) {
	rh := &g.rh
	day, sec := localDay(unix)
	if day != rh.incDay {
		g.planIncident(day)
	}
	w := rh.hour[sec/3600] * rh.day[(day+4)%7] // 1970-01-01 was a Thursday
	if rh.incEnd != 0 && sec >= rh.incStart && sec < rh.incEnd {
		return w * incidentBoost, rh.incTopic
	}
	return w, -1
}

// planIncident decides from the seed and the day alone whether an incident
// happens that day: about one day in eight, for two to six hours.
func (g *Generator) planIncident(day int64) {
	rh := &g.rh
	rh.incDay = day
	h := mix(g.tag ^ uint64(day)*0xd1b54a32d192ed03)
	if h%100 >= 12 {
		rh.incEnd = 0
		return
	}
	rh.incStart = int64(7+(h>>8)%12) * 3600
	rh.incEnd = rh.incStart + int64(2+(h>>16)%5)*3600
	rh.incTopic = g.incidentTopics[(h>>24)%uint64(len(g.incidentTopics))]
}

// agentTime moves a reply time into staffed hours (7:00 to 22:00 local).
func (g *Generator) agentTime(unix int64) int64 {
	day, sec := localDay(unix)
	switch {
	case sec < 7*3600:
		return (day*86400 - localOffset) + 7*3600 + int64(g.rng.intn(5400))
	case sec >= 22*3600:
		return ((day+1)*86400 - localOffset) + 7*3600 + int64(g.rng.intn(5400))
	}
	return unix
}
