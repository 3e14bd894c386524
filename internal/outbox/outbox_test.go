package outbox_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/connector"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/outbox"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// answer is what the fake platform does with one send.
type answer struct {
	sent connector.Sent
	err  error
}

// fakeSender is a platform that answers each send with the next of its
// script (the last one again when it runs out) and records what it got.
type fakeSender struct {
	mu     sync.Mutex
	script []answer
	got    []connector.Outgoing
}

func (f *fakeSender) Send(_ context.Context, out connector.Outgoing) (connector.Sent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, out)
	a := f.script[min(len(f.got), len(f.script))-1]
	return a.sent, a.err
}

func (f *fakeSender) sends() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.got)
}

// rig is a store with one case on x (channel acme), an outbox with the
// fake platform as acme's connector, and a jobs runner on a clock the
// test moves.
type rig struct {
	t       *testing.T
	ctx     context.Context
	st      *store.Store
	fake    *fakeSender
	runner  *jobs.Runner
	now     time.Time
	caseID  int64
	changed []int64
	// protocol is the crisis protocol the outbox reads as the file's in
	// force; a test sets it.
	protocol *org.Crisis
}

var (
	sharedGuard     *guard.Guard
	sharedGuardOnce sync.Once
)

func testGuard() *guard.Guard {
	sharedGuardOnce.Do(func() { sharedGuard = guard.New(analyze.New()) })
	return sharedGuard
}

// newRig builds a rig whose platform answers with script; with no
// script there is no connector at all.
func newRig(t *testing.T, script ...answer) *rig {
	t.Helper()
	r := &rig{t: t, ctx: context.Background(), st: storetest.Open(t), now: time.Now().UTC().Truncate(time.Second)}
	var lookup connector.Lookup
	if len(script) > 0 {
		r.fake = &fakeSender{script: script}
		reg, err := connector.NewRegistry(connector.Channel{ID: "acme", Platform: "x", Sender: r.fake})
		if err != nil {
			t.Fatal(err)
		}
		lookup = reg
	}
	p := ingest.New(r.st, analyze.New(), ingest.Options{})
	res, err := p.Ingest(r.ctx, []model.Mention{{Platform: "x", Channel: "acme", ExternalID: "1001", Kind: "post", Text: "my new card never came",
		CreatedAt: r.now.Add(-time.Hour), ThreadID: "1001", Author: model.Author{ID: "998", Handle: "gil"}}})
	if err != nil || res[0].Err != nil || res[0].CaseID == 0 {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	r.caseID = res[0].CaseID
	ob := outbox.New(r.st, testGuard(), outbox.Options{Connectors: lookup, Now: r.clock, Protocol: func() *org.Crisis { return r.protocol },
		Publish: func(id int64) { r.changed = append(r.changed, id) }})
	r.runner = jobs.New(r.st, jobs.Options{Now: r.clock, Backoff: func(int) time.Duration { return 15 * time.Second }})
	r.runner.Handle(model.JobKindDeliverReply, ob.Handler())
	r.runner.Every("outbox", ob.Sweep(100))
	return r
}

func (r *rig) clock() time.Time { return r.now }

// reply stores a reply as the composer would once the guard passed it
// (or, for the tests of the guard at sending, as something else did).
func (r *rig) reply(text string, visibility model.Visibility) int64 {
	r.t.Helper()
	rp := &model.Reply{CaseID: r.caseID, Text: text, Visibility: visibility, Author: "agent@example.org", CreatedAt: r.now}
	if err := r.st.AddReply(r.ctx, rp, nil); err != nil {
		r.t.Fatal(err)
	}
	return rp.ID
}

// tick moves the clock by d and runs one tick of the runner.
func (r *rig) tick(d time.Duration) {
	r.t.Helper()
	r.now = r.now.Add(d)
	if _, err := r.runner.Tick(r.ctx); err != nil {
		r.t.Logf("tick: %v", err) // a retried job's error; the test checks the outcome
	}
}

func (r *rig) get(id int64) model.Reply {
	r.t.Helper()
	c, err := r.st.GetCase(r.ctx, r.caseID)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, rp := range c.Replies {
		if rp.ID == id {
			return rp
		}
	}
	r.t.Fatalf("reply %d not found", id)
	return model.Reply{}
}

func (r *rig) jobs() []store.Job {
	r.t.Helper()
	js, err := r.st.JobsByKind(r.ctx, model.JobKindDeliverReply)
	if err != nil {
		r.t.Fatal(err)
	}
	return js
}

func TestReplySentOnceWithThePlatformsIDAndLink(t *testing.T) {
	r := newRig(t, answer{sent: connector.Sent{ID: "555", URL: "https://x.com/acme/status/555"}})
	id := r.reply("Sorry to hear that. Please send us a DM so we can help.", model.VisibilityPublic)
	for range 3 {
		r.tick(time.Second)
	}
	if r.fake.sends() != 1 {
		t.Fatalf("%d sends, want 1", r.fake.sends())
	}
	got := r.fake.got[0]
	want := connector.Outgoing{ReplyID: id, Channel: "acme", Visibility: model.VisibilityPublic,
		Text: "Sorry to hear that. Please send us a DM so we can help.", InReplyTo: "1001", ThreadID: "1001", AuthorID: "998"}
	if got != want {
		t.Errorf("outgoing = %+v\nwant %+v", got, want)
	}
	rp := r.get(id)
	if rp.State != model.ReplySent || rp.PlatformID != "555" || rp.PlatformURL != "https://x.com/acme/status/555" ||
		rp.SentAt == nil || rp.DeliveryAttempts != 1 || rp.DeliveryError != "" {
		t.Errorf("reply = %+v", rp)
	}
	if js := r.jobs(); len(js) != 1 || js[0].State != store.JobDone {
		t.Errorf("jobs = %+v, want one done", js)
	}
	if len(r.changed) != 1 || r.changed[0] != r.caseID {
		t.Errorf("published %v, want the case once", r.changed)
	}
}

func TestRateLimitIsWaitedOut(t *testing.T) {
	r := newRig(t, answer{err: &connector.RateLimited{RetryAfter: 40 * time.Second}}, answer{sent: connector.Sent{ID: "7"}})
	id := r.reply("Thanks for letting us know.", model.VisibilityPublic)
	r.tick(0)
	if rp := r.get(id); r.fake.sends() != 1 || rp.State != model.ReplyQueued || !strings.Contains(rp.DeliveryError, "rate limited") {
		t.Fatalf("after a 429: %d sends, reply %+v", r.fake.sends(), rp)
	}
	r.tick(30 * time.Second)
	if r.fake.sends() != 1 {
		t.Fatalf("sent again %d times before the platform's time", r.fake.sends()-1)
	}
	r.tick(11 * time.Second)
	if rp := r.get(id); r.fake.sends() != 2 || rp.State != model.ReplySent || rp.PlatformID != "7" || rp.DeliveryError != "" {
		t.Fatalf("after the wait: %d sends, reply %+v", r.fake.sends(), rp)
	}
	// A rate limit costs no attempt of the job.
	if js := r.jobs(); js[0].Attempts != 1 {
		t.Errorf("job attempts = %d, want 1", js[0].Attempts)
	}
}

func TestServerErrorIsRetriedWithBackoff(t *testing.T) {
	r := newRig(t, answer{err: &connector.Temporary{Reason: "HTTP 503"}}, answer{sent: connector.Sent{ID: "8"}})
	id := r.reply("We are looking into it.", model.VisibilityPrivate)
	r.tick(0)
	if rp := r.get(id); rp.State != model.ReplyQueued || !strings.Contains(rp.DeliveryError, "HTTP 503") {
		t.Fatalf("after a 503: %+v", rp)
	}
	r.tick(10 * time.Second)
	if r.fake.sends() != 1 {
		t.Fatal("retried before the backoff")
	}
	r.tick(6 * time.Second)
	if rp := r.get(id); r.fake.sends() != 2 || rp.State != model.ReplySent || rp.DeliveryAttempts != 2 {
		t.Fatalf("after the backoff: %d sends, %+v", r.fake.sends(), rp)
	}
}

func TestRepeatedServerErrorsEndFailed(t *testing.T) {
	r := newRig(t, answer{err: &connector.Temporary{Reason: "HTTP 502"}})
	id := r.reply("We are looking into it.", model.VisibilityPrivate)
	for range store.DefaultMaxAttempts + 3 {
		r.tick(time.Minute)
	}
	rp := r.get(id)
	if r.fake.sends() != store.DefaultMaxAttempts || rp.State != model.ReplyFailed || !strings.Contains(rp.DeliveryError, "gave up") {
		t.Fatalf("%d sends, reply %+v", r.fake.sends(), rp)
	}
}

func TestPermanentRefusalIsRecordedWithTheReason(t *testing.T) {
	r := newRig(t, answer{err: &connector.Permanent{Reason: "HTTP 403: (#10) This message is sent outside of allowed window."}})
	id := r.reply("Please call us at the number on our website.", model.VisibilityPrivate)
	for range 3 {
		r.tick(time.Minute)
	}
	rp := r.get(id)
	if r.fake.sends() != 1 || rp.State != model.ReplyFailed || !strings.Contains(rp.DeliveryError, "outside of allowed window") {
		t.Fatalf("%d sends, reply %+v", r.fake.sends(), rp)
	}
	if js := r.jobs(); js[0].State != store.JobDone {
		t.Errorf("job %s, want done (nothing to retry)", js[0].State)
	}
}

func TestUnknownOutcomeIsNeverSentAgain(t *testing.T) {
	for name, err := range map[string]error{
		"typed":   &connector.Unknown{Reason: "timeout after the request was sent"},
		"untyped": errors.New("connection reset"),
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, answer{err: err}, answer{sent: connector.Sent{ID: "9"}})
			id := r.reply("Thanks for your patience.", model.VisibilityPublic)
			for range 5 {
				r.tick(time.Hour)
			}
			rp := r.get(id)
			if r.fake.sends() != 1 || rp.State != model.ReplyUnknown || !strings.Contains(rp.DeliveryError, "check the platform") {
				t.Fatalf("%d sends, reply %+v", r.fake.sends(), rp)
			}
		})
	}
}

func TestInterruptedSendIsNotRepeated(t *testing.T) {
	r := newRig(t, answer{sent: connector.Sent{ID: "10"}})
	id := r.reply("Thanks for your patience.", model.VisibilityPublic)
	r.tick(0) // (first delivery: sent)
	id2 := r.reply("One more thing: our hours are 8 to 6.", model.VisibilityPublic)
	// A replica took the reply and died mid-send: it is left sending.
	if _, was, err := r.st.ClaimReply(r.ctx, r.caseID, id2, 0); err != nil || was != model.ReplyQueued {
		t.Fatalf("claim: %q %v", was, err)
	}
	if _, err := r.st.EnqueueJobs(r.ctx, r.now, store.NewJob{Kind: model.JobKindDeliverReply, DedupeKey: "deliver_reply:" + itoa(id2),
		Payload: []byte(`{"case_id":` + itoa(r.caseID) + `,"reply_id":` + itoa(id2) + `}`)}); err != nil {
		t.Fatal(err)
	}
	r.tick(time.Second)
	if rp := r.get(id2); r.fake.sends() != 1 || rp.State != model.ReplyUnknown {
		t.Fatalf("%d sends, interrupted reply %+v", r.fake.sends(), rp)
	}
	if rp := r.get(id); rp.State != model.ReplySent {
		t.Errorf("first reply %+v", rp)
	}
}

func TestGuardRefusesAtSendingTime(t *testing.T) {
	r := newRig(t, answer{sent: connector.Sent{ID: "11"}})
	// Stored by other means than the composer, which would have refused it.
	id := r.reply("Hi Gil, member ID XJH123456789 is fixed now", model.VisibilityPublic)
	r.tick(0)
	rp := r.get(id)
	if r.fake.sends() != 0 || rp.State != model.ReplyFailed || !strings.Contains(rp.DeliveryError, guard.RefusedPHI) {
		t.Fatalf("%d sends, reply %+v", r.fake.sends(), rp)
	}
}

func TestNoConnectorSaysSo(t *testing.T) {
	r := newRig(t)
	id := r.reply("Sorry to hear that. Please send us a DM.", model.VisibilityPublic)
	r.tick(0)
	rp := r.get(id)
	if rp.State != model.ReplyNoConnector || rp.DeliveryError != `no connector for x channel "acme" is set up here` || rp.DeliveryAttempts != 1 {
		t.Fatalf("reply %+v", rp)
	}
	r.tick(time.Minute)
	if js := r.jobs(); len(js) != 1 {
		t.Errorf("%d jobs, want 1", len(js))
	}
}

func TestHeldReplyWaitsForApproval(t *testing.T) {
	r := newRig(t, answer{sent: connector.Sent{ID: "12"}})
	rp := &model.Reply{CaseID: r.caseID, Text: "We hope you feel better soon.", Visibility: model.VisibilityPublic,
		Author: "agent@example.org", State: model.ReplyAwaitingApproval, CreatedAt: r.now}
	if err := r.st.AddReply(r.ctx, rp, nil); err != nil {
		t.Fatal(err)
	}
	r.tick(time.Second)
	if r.fake.sends() != 0 || len(r.jobs()) != 0 {
		t.Fatalf("a held reply was taken: %d sends, %d jobs", r.fake.sends(), len(r.jobs()))
	}
	if err := r.st.ApproveReply(r.ctx, r.caseID, rp.ID, "supervisor@example.org", r.now, nil); err != nil {
		t.Fatal(err)
	}
	r.tick(time.Second)
	if got := r.get(rp.ID); r.fake.sends() != 1 || got.State != model.ReplySent {
		t.Fatalf("approved reply: %d sends, %+v", r.fake.sends(), got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
