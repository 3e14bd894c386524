package cases_test

import (
	"context"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/ingest"
	"earshot/internal/model"
)

// Google has no private channel: a private reply on a Google review is
// refused with no_private_channel on visibility, saying to call or email
// the reviewer; a public one goes.
func TestGoogleRefusesPrivateReplies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	three := 3
	res, err := ingest.New(f.st, analyze.New(), ingest.Options{}).Ingest(ctx, []model.Mention{{Platform: model.PlatformGoogle,
		ExternalID: "accounts/1/locations/2/reviews/r9", Kind: "review", Text: "Long wait at the clinic.", Rating: &three,
		CreatedAt: t0, Author: model.Author{ID: "g9", Handle: "Lee"}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	d := cases.Draft{CaseID: res[0].CaseID, Author: "ana@example.org", Text: "Sorry about the wait; please call us.", Visibility: model.VisibilityPrivate}
	_, err = f.svc.Reply(ctx, d)
	ref := cases.AsRefusal(err)
	if ref == nil || ref.Code != cases.RefusedNoPrivateChannel || ref.Field != "visibility" || ref.Message != "Google has no private channel: call or email the reviewer" {
		t.Fatalf("private reply on Google: %v (%+v)", err, ref)
	}
	d.Visibility = model.VisibilityPublic
	if rp, err := f.svc.Reply(ctx, d); err != nil || rp.State != model.ReplyQueued {
		t.Fatalf("public reply on Google: %+v %v", rp, err)
	}
	// Elsewhere private replies go.
	if _, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Please DM us.", Visibility: model.VisibilityPrivate}); err != nil {
		t.Fatalf("private reply on x: %v", err)
	}
}
