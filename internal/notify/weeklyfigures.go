package notify

import (
	"fmt"
	"math"

	"earshot/internal/model"
	"earshot/internal/report"
)

// figures are the weekly email's headline figures of cur, each with its
// change against prev (the week before).
func figures(cur, prev *report.Summary) []figure {
	cc, pc := cur.Cases, prev.Cases
	cd, pd := cur.Deadlines, prev.Deadlines
	return []figure{
		{"Mentions", count(cur.Mentions.Total), countChange(cur.Mentions.Total, prev.Mentions.Total)},
		{"Inbound mentions", count(cur.Mentions.Inbound), countChange(cur.Mentions.Inbound, prev.Mentions.Inbound)},
		{"Negative share of inbound", share(negative(cur), cur.Mentions.Inbound), pointsChange(negative(cur), cur.Mentions.Inbound, negative(prev), prev.Mentions.Inbound)},
		{"Cases opened", count(cc.Opened), countChange(cc.Opened, pc.Opened)},
		{"Response rate", rateOf(cc.ResponseRate, cc.Responded, cc.NeedResponse, "answered"), rateChange(cc.ResponseRate, cc.NeedResponse, pc.ResponseRate, pc.NeedResponse)},
		{"First response, median", minutes(cc.FirstResponse.MedianMinutes, cc.FirstResponse.Count), minutesChange(cc.FirstResponse.MedianMinutes, cc.FirstResponse.Count, pc.FirstResponse.MedianMinutes, pc.FirstResponse.Count)},
		{"First response, 90th percentile", minutes(cc.FirstResponse.P90Minutes, cc.FirstResponse.Count), minutesChange(cc.FirstResponse.P90Minutes, cc.FirstResponse.Count, pc.FirstResponse.P90Minutes, pc.FirstResponse.Count)},
		{"Saves (negative to positive)", of(cc.NegativeToPositive, cc.OpenedNegative, "opened negative"), countChange(cc.NegativeToPositive, pc.NegativeToPositive)},
		{"Review ratings changed", fmt.Sprintf("%d (%d raised, %d lowered)", cur.Ratings.Changed, cur.Ratings.Raised, cur.Ratings.Lowered), countChange(cur.Ratings.Changed, prev.Ratings.Changed)},
		{"Deadlines met", of(cd.Met, cd.Due, "due"), countChange(cd.Met, pd.Met)},
		{"Deadlines breached", count(cd.Breached), countChange(cd.Breached, pd.Breached)},
	}
}

// negative is the negative inbound mentions of s.
func negative(s *report.Summary) int64 { return s.Mentions.BySentiment[model.SentimentNegative] }

func count(n int64) string { return fmt.Sprint(n) }

// of writes "3 of 5 due"; "3" when the whole is unknown (0).
func of(n, whole int64, what string) string {
	if whole == 0 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d of %d %s", n, whole, what)
}

// countChange writes the change of a count: "+3", "-2" or "same".
func countChange(cur, prev int64) string {
	if cur == prev {
		return "same"
	}
	return fmt.Sprintf("%+d", cur-prev)
}

// percent writes a share 0..1 as "42%" or "42.5%".
func percent(x float64) string {
	p := math.Round(x*1000) / 10
	if p == math.Trunc(p) {
		return fmt.Sprintf("%.0f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// share writes n of whole as a percentage; "none" when whole is 0.
func share(n, whole int64) string {
	if whole == 0 {
		return "none"
	}
	return fmt.Sprintf("%s (%d of %d)", percent(float64(n)/float64(whole)), n, whole)
}

// rateOf writes a rate with what it is of: "80% (4 of 5 answered)".
func rateOf(r float64, n, whole int64, what string) string {
	if whole == 0 {
		return "none"
	}
	return fmt.Sprintf("%s (%d of %d %s)", percent(r), n, whole, what)
}

// points writes a change in percentage points, "+12.5 pts"; "same" at 0.
func points(d float64) string {
	d = math.Round(d*1000) / 10
	if d == 0 {
		return "same"
	}
	if d == math.Trunc(d) {
		return fmt.Sprintf("%+.0f pts", d)
	}
	return fmt.Sprintf("%+.1f pts", d)
}

// pointsChange is the change of n/whole against pn/pwhole; "" when
// either week has none to share.
func pointsChange(n, whole, pn, pwhole int64) string {
	if whole == 0 || pwhole == 0 {
		return ""
	}
	return points(float64(n)/float64(whole) - float64(pn)/float64(pwhole))
}

// rateChange is the change of a rate; "" when either week had none to
// rate.
func rateChange(r float64, whole int64, pr float64, pwhole int64) string {
	if whole == 0 || pwhole == 0 {
		return ""
	}
	return points(r - pr)
}

// minutes writes a duration in minutes: "42 min", "2.5 h" from two
// hours on, "3.2 d" from two days on; "none" when nothing was measured.
func minutes(m float64, n int64) string {
	switch {
	case n == 0:
		return "none"
	case m >= 2*24*60:
		return trimmed(m/(24*60)) + " d"
	case m >= 120:
		return trimmed(m/60) + " h"
	}
	return trimmed(m) + " min"
}

// trimmed writes x to a tenth, without a trailing ".0".
func trimmed(x float64) string {
	x = math.Round(x*10) / 10
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// minutesChange is the change of a duration, "+12 min" or "-1.5 h";
// "" when either week measured none.
func minutesChange(m float64, n int64, pm float64, pn int64) string {
	if n == 0 || pn == 0 {
		return ""
	}
	d := m - pm
	if math.Round(d*10) == 0 {
		return "same"
	}
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	return sign + minutes(math.Abs(d), 1)
}
