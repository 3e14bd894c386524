package report_test

import (
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/report"
)

// TestResponseEdgeCases holds each edge of the response figures on a
// case of its own, written through ingest and the case service; want is
// worked out in each row's comment.
func TestResponseEdgeCases(t *testing.T) {
	at := func(hh, mm int) time.Time { return day(0, hh, mm) }      // Monday, within care's hours
	ask := "My ID card still has the wrong name on it, please help" // needs a response
	praise := "Thank you so much, the nurses were wonderful!"       // needs none
	for _, tc := range []struct {
		name string
		run  func(e *env)
		// need, responded, first response median (minutes), pending-free
		// resolution median (minutes), resolved
		need, responded     int64
		first, resolution   float64
		resolved, responses int64
	}{
		{"praise answered anyway is outside the response rate", func(e *env) {
			e.mention(model.Mention{Platform: "x", ExternalID: "m1", Author: author("amy"), CreatedAt: at(10, 0), Text: praise})
			e.mention(model.Mention{Platform: "x", ExternalID: "o1", Direction: model.DirectionOutbound, Author: author("acme"),
				CreatedAt: at(10, 5), InReplyTo: "m1", Text: "Thank you!"})
		}, 0, 0, 0, 0, 0, 0},
		{"a reply that never went out is no answer", func(e *env) {
			id := e.mention(model.Mention{Platform: "x", ExternalID: "m1", Author: author("gil"), CreatedAt: at(10, 0), Text: ask})
			e.reply(id, at(10, 5), model.VisibilityPublic, "We are on it.", false)
		}, 1, 0, 0, 0, 0, 0},
		{"an answer at the very instant of the question answers it", func(e *env) {
			id := e.mention(model.Mention{Platform: "x", ExternalID: "m1", Author: author("gil"), CreatedAt: at(10, 0), Text: ask})
			e.reply(id, at(10, 0), model.VisibilityPublic, "We are on it.", true)
		}, 1, 1, 0, 0, 0, 1},
		{"answered natively: our own post on the platform counts", func(e *env) {
			e.mention(model.Mention{Platform: "x", ExternalID: "m1", Author: author("gil"), CreatedAt: at(10, 0), Text: ask})
			e.mention(model.Mention{Platform: "x", ExternalID: "o1", Direction: model.DirectionOutbound, Author: author("acme"),
				CreatedAt: at(10, 12), InReplyTo: "m1", Text: "We're sorry to hear that. Please send us a direct message."})
		}, 1, 1, 12, 0, 0, 1},
		{"pending time is left out of resolution, and only the first resolution counts", func(e *env) {
			// Opened 10:00, pending 10:10 to 11:10 (60 min), resolved 12:00:
			// 120 - 60 = 60 min. Reopened at 13:00 and resolved again at
			// 15:00: still 60. (A member who writes after the resolution
			// opens a case of their own.)
			id := e.mention(model.Mention{Platform: "x", ExternalID: "m1", Author: author("gil"), CreatedAt: at(10, 0), Text: praise})
			e.status(id, at(10, 10), model.StatusPending)
			e.status(id, at(11, 10), model.StatusOpen)
			e.status(id, at(12, 0), model.StatusResolved)
			e.status(id, at(13, 0), model.StatusOpen)
			e.status(id, at(15, 0), model.StatusResolved)
		}, 0, 0, 0, 60, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.run(e)
			c := e.summary(report.Query{From: weekFrom, To: weekTo}).Cases
			var rate float64
			if tc.need > 0 {
				rate = float64(tc.responded) / float64(tc.need)
			}
			if c.Opened != 1 || c.NeedResponse != tc.need || c.Responded != tc.responded || c.ResponseRate != rate ||
				c.FirstResponse.Count != tc.responses || c.FirstResponse.MedianMinutes != tc.first ||
				c.Resolved != tc.resolved || c.Resolution.MedianMinutes != tc.resolution {
				t.Errorf("cases %+v", c)
			}
		})
	}
}
