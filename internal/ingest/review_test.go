package ingest

import (
	"testing"
	"time"

	"earshot/internal/model"
)

// Two reviews of one person within the thread window are two cases: each
// is of another place (Google and Yelp keep one review per person and
// place), answered on its own listing. A person's other posts still join
// their open case.
func TestReviewsAreCasesOfTheirOwn(t *testing.T) {
	p, _, _ := newPipeline(t)
	one, two := 1, 2
	reviewer := model.Author{ID: "g-77", Handle: "Irene Lopez"}
	a := ingestOne(t, p, model.Mention{Platform: "google", Channel: "google-roundrock", ExternalID: "accounts/1/locations/2/reviews/a",
		Kind: model.KindReview, Text: "Billing sent my account to collections by mistake.", Rating: &one, CreatedAt: t0, Author: reviewer})
	b := ingestOne(t, p, model.Mention{Platform: "google", Channel: "google-georgetown", ExternalID: "accounts/1/locations/3/reviews/b",
		Kind: model.KindReview, Text: "Long wait and nobody called back.", Rating: &two, CreatedAt: t0.Add(time.Hour), Author: reviewer})
	if a.CaseID == 0 || b.CaseID == 0 || a.CaseID == b.CaseID {
		t.Fatalf("two reviews in cases %d and %d, want two cases", a.CaseID, b.CaseID)
	}
	x1 := ingestOne(t, p, mention("x1", "irene", "My claim was denied, please help", t0))
	x2 := ingestOne(t, p, mention("x2", "irene", "Still nobody has called me back", t0.Add(time.Hour)))
	if x2.CaseID != x1.CaseID {
		t.Fatalf("a follow-up post in case %d, want the open case %d", x2.CaseID, x1.CaseID)
	}
}
