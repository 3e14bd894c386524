package outbox_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
)

func (r *rig) service() *cases.Service {
	return cases.NewService(r.st, nil, testGuard(), r.clock)
}

func (r *rig) keys() []string {
	var ks []string
	for _, j := range r.jobs() {
		ks = append(ks, j.DedupeKey)
	}
	return ks
}

// A failed reply that an agent sends again goes out once more, once, in
// a round of its own; two agents asking at once requeue it once.
func TestTryAgainSendsAFailedReplyOnce(t *testing.T) {
	r := newRig(t, answer{err: &connector.Permanent{Reason: "HTTP 403: You are not permitted to reply"}},
		answer{sent: connector.Sent{ID: "77", URL: "https://x.com/acme/status/77"}})
	id := r.reply("Sorry to hear that. Please send us a DM.", model.VisibilityPublic)
	r.tick(time.Second)
	if rp := r.get(id); rp.State != model.ReplyFailed {
		t.Fatalf("reply %+v, want failed", rp)
	}
	svc := r.service()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = svc.Retry(r.ctx, r.caseID, id, "agent@example.org") })
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrReplyState):
			conflict++
		default:
			t.Fatalf("retry: %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("two agents retried: %d requeued, %d refused; want 1 and 1 (%v)", ok, conflict, errs)
	}
	if rp := r.get(id); rp.State != model.ReplyQueued || rp.DeliveryRound != 1 || rp.DeliveryError != "" {
		t.Fatalf("requeued reply %+v", rp)
	}
	for range 4 {
		r.tick(time.Minute)
	}
	rp := r.get(id)
	if r.fake.sends() != 2 || rp.State != model.ReplySent || rp.PlatformID != "77" || rp.DeliveryAttempts != 2 {
		t.Fatalf("%d sends, reply %+v; want sent on the second send", r.fake.sends(), rp)
	}
	if ks := r.keys(); len(ks) != 2 || ks[0] != "deliver_reply:"+itoa(id) || ks[1] != "deliver_reply:"+itoa(id)+"/1" {
		t.Errorf("job keys %v", ks)
	}
	if err := svc.Retry(r.ctx, r.caseID, id, "agent@example.org"); !errors.Is(err, store.ErrReplyState) {
		t.Errorf("retry of a sent reply: %v, want ErrReplyState", err)
	}
	c, err := r.st.GetCase(r.ctx, r.caseID)
	if err != nil {
		t.Fatal(err)
	}
	retried := 0
	for _, e := range c.Events {
		if e.Type == model.EventReplyRetried {
			retried++
			var d struct {
				From  string `json:"from"`
				Round int    `json:"round"`
			}
			if err := json.Unmarshal(e.Data, &d); err != nil || e.Actor != "agent@example.org" || d.From != "failed" || d.Round != 1 {
				t.Errorf("event %+v", e)
			}
		}
	}
	if retried != 1 {
		t.Errorf("%d reply_retried events, want 1", retried)
	}
}

// A job of an earlier round, run again after the reply was requeued (a
// lease that ran out), leaves the reply to its new round's job: it is
// sent once.
func TestEarlierRoundsJobDoesNotSend(t *testing.T) {
	r := newRig(t, answer{err: &connector.Unknown{Reason: "timeout"}}, answer{sent: connector.Sent{ID: "78"}})
	id := r.reply("Thanks for your patience.", model.VisibilityPublic)
	r.tick(time.Second)
	if rp := r.get(id); rp.State != model.ReplyUnknown {
		t.Fatalf("reply %+v, want unknown", rp)
	}
	if err := r.service().Retry(r.ctx, r.caseID, id, "agent@example.org"); err != nil {
		t.Fatal(err)
	}
	stale := `{"case_id":` + itoa(r.caseID) + `,"reply_id":` + itoa(id) + `}`
	if _, err := r.st.EnqueueJobs(r.ctx, r.now, store.NewJob{Kind: model.JobKindDeliverReply, DedupeKey: "stale", Payload: []byte(stale)}); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		r.tick(time.Minute)
	}
	if rp := r.get(id); r.fake.sends() != 2 || rp.State != model.ReplySent || rp.DeliveryRound != 1 {
		t.Fatalf("%d sends, reply %+v; want one send in round 1", r.fake.sends(), rp)
	}
}

// An agent who checked the platform says a reply of unknown fate went
// out (with its link), or posts one with no connector by hand: it is
// sent, by hand, and never sent by the outbox.
func TestSentByHand(t *testing.T) {
	r := newRig(t, answer{err: &connector.Unknown{Reason: "timeout"}})
	id := r.reply("Thanks for your patience.", model.VisibilityPublic)
	r.tick(time.Second)
	svc := r.service()
	for _, bad := range []string{"javascript:alert(1)", "ftp://x.com/1", "x.com/acme/status/1", "https://", "https://u:p@x.com/1"} {
		err := svc.SentByHand(r.ctx, r.caseID, id, bad, "agent@example.org")
		if ref := cases.AsRefusal(err); ref == nil || ref.Field != "url" {
			t.Errorf("link %q: %v, want a refusal of url", bad, err)
		}
	}
	if err := svc.SentByHand(r.ctx, r.caseID, id, " https://x.com/acme/status/79 ", "agent@example.org"); err != nil {
		t.Fatal(err)
	}
	rp := r.get(id)
	if rp.State != model.ReplySent || !rp.SentByHand || rp.PlatformURL != "https://x.com/acme/status/79" || rp.SentAt == nil || rp.DeliveryError != "" {
		t.Fatalf("reply %+v", rp)
	}
	if err := svc.SentByHand(r.ctx, r.caseID, id, "", "agent@example.org"); !errors.Is(err, store.ErrReplyState) {
		t.Errorf("marking a sent reply again: %v", err)
	}
	r.tick(time.Hour)
	if r.fake.sends() != 1 {
		t.Errorf("%d sends, want 1", r.fake.sends())
	}
	// A failed reply is tried again, not marked sent by hand.
	r2 := newRig(t, answer{err: &connector.Permanent{Reason: "HTTP 403"}})
	id2 := r2.reply("Thanks for your patience.", model.VisibilityPublic)
	r2.tick(time.Second)
	if err := r2.service().SentByHand(r2.ctx, r2.caseID, id2, "", "agent@example.org"); !errors.Is(err, store.ErrReplyState) {
		t.Errorf("marking a failed reply sent: %v", err)
	}
	if err := r2.service().Retry(r2.ctx, r2.caseID, 999999, "agent@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("retry of no reply: %v", err)
	}
}

// Yelp has no reply API: a reply on a Yelp case ends no_connector saying
// to post it there, even where a connector would answer, and the agent
// marks it sent by hand.
func TestYelpReplyIsPostedByHand(t *testing.T) {
	r := newRig(t, answer{sent: connector.Sent{ID: "80"}})
	two := 2
	res, err := ingestYelp(r, &two)
	if err != nil {
		t.Fatal(err)
	}
	rp := &model.Reply{CaseID: res, Text: "We are sorry about your wait. Please call us.", Visibility: model.VisibilityPublic,
		Author: "agent@example.org", CreatedAt: r.now}
	if err := r.st.AddReply(r.ctx, rp, nil); err != nil {
		t.Fatal(err)
	}
	r.tick(time.Second)
	c, err := r.st.GetCase(r.ctx, res)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Replies[0]
	if r.fake.sends() != 0 || got.State != model.ReplyNoConnector || !strings.Contains(got.DeliveryError, "yelp has no reply API") {
		t.Fatalf("%d sends, reply %+v", r.fake.sends(), got)
	}
	if err := r.service().SentByHand(r.ctx, res, rp.ID, "", "agent@example.org"); err != nil {
		t.Fatal(err)
	}
}

// ingestYelp stores a Yelp review with rating and returns its case.
func ingestYelp(r *rig, rating *int) (int64, error) {
	p := ingest.New(r.st, analyze.New(), ingest.Options{})
	res, err := p.Ingest(r.ctx, []model.Mention{{Platform: "yelp", Channel: "yelp-dallas", ExternalID: "rev-1", Kind: "review",
		Text: "Waited two hours to be seen.", Rating: rating, URL: "https://www.yelp.com/biz/dallas-medical-center-dallas?hrid=rev-1",
		CreatedAt: r.now.Add(-time.Hour), Author: model.Author{ID: "y1", Handle: "Pat R."}}})
	if err != nil {
		return 0, err
	}
	if res[0].Err != nil {
		return 0, res[0].Err
	}
	return res[0].CaseID, nil
}
