package ingest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func newPipeline(t *testing.T) (*Pipeline, *store.Store, *events.Broker) {
	t.Helper()
	st := storetest.Open(t)
	b := events.NewBroker()
	p := New(st, analyze.New(), Options{Broker: b, Now: testNow})
	return p, st, b
}

func mention(id, handle, text string, at time.Time) model.Mention {
	return model.Mention{Platform: "x", Channel: "lonestar", ExternalID: id, Text: text, CreatedAt: at,
		Author: model.Author{ID: "id-" + handle, Handle: handle, Followers: 10}}
}

func ingestOne(t *testing.T, p *Pipeline, m model.Mention) Result {
	t.Helper()
	rs, err := p.Ingest(context.Background(), []model.Mention{m})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if rs[0].Err != nil {
		t.Fatalf("Ingest %s: %v", m.ExternalID, rs[0].Err)
	}
	return rs[0]
}

func TestDuplicateChangesNothing(t *testing.T) {
	p, st, b := newPipeline(t)
	sub := b.Subscribe(10)
	defer sub.Close()
	m := mention("1", "ann", "My claim was denied twice and nobody calls back", t0)
	first := ingestOne(t, p, m)
	if first.Duplicate || first.ID == 0 || first.CaseID == 0 || first.Analysis == nil {
		t.Fatalf("first result = %+v", first)
	}
	again := ingestOne(t, p, mention("1", "ann", "My claim was denied twice and nobody calls back", t0))
	if !again.Duplicate || again.ID != first.ID || again.CaseID != first.CaseID {
		t.Fatalf("second result = %+v, want duplicate of %+v", again, first)
	}
	c, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Mentions != 1 || c.Cases != 1 || c.Authors != 1 {
		t.Fatalf("counts = %+v, want 1/1/1", c)
	}
	if e := <-sub.C; e.MentionID != first.ID || e.Type != events.MentionAdded {
		t.Fatalf("event = %+v", e)
	}
	select {
	case e := <-sub.C:
		t.Fatalf("duplicate published %+v", e)
	default:
	}
}

func TestThreading(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)

	root := ingestOne(t, p, mention("100", "ann", "Where is my new ID card? I have been waiting three weeks", t0))
	// Same author within the window joins the open case.
	follow := ingestOne(t, p, mention("101", "ann", "Still nothing, called twice", t0.Add(2*time.Hour)))
	if follow.CaseID != root.CaseID {
		t.Fatalf("same-author follow-up opened case %d, want %d", follow.CaseID, root.CaseID)
	}
	// Another author replying to ann's post joins her case.
	reply := mention("102", "bob", "Same problem here", t0.Add(3*time.Hour))
	reply.InReplyTo = "100"
	if r := ingestOne(t, p, reply); r.CaseID != root.CaseID {
		t.Fatalf("reply joined case %d, want %d", r.CaseID, root.CaseID)
	}
	// Thread id alone also finds the conversation.
	threaded := mention("103", "cy", "Following this thread", t0.Add(4*time.Hour))
	threaded.ThreadID = "100"
	if r := ingestOne(t, p, threaded); r.CaseID != root.CaseID {
		t.Fatalf("thread member joined case %d, want %d", r.CaseID, root.CaseID)
	}
	// After the window, the same author gets a new case.
	late := ingestOne(t, p, mention("104", "ann", "A new question about billing", t0.Add(9*24*time.Hour)))
	if late.CaseID == root.CaseID {
		t.Fatal("mention after the thread window joined the old case")
	}
	// The same handle on another platform is another author and case.
	fb := mention("105", "ann", "Hello from Facebook", t0.Add(3*time.Hour))
	fb.Platform = "facebook"
	if r := ingestOne(t, p, fb); r.CaseID == root.CaseID {
		t.Fatal("facebook mention joined an x case")
	}

	c, err := st.GetCase(ctx, root.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Mentions) != 4 || c.MentionCount != 4 {
		t.Fatalf("case has %d mentions (count %d), want 4", len(c.Mentions), c.MentionCount)
	}
	if c.Author.Handle != "ann" || c.Status != model.StatusNew {
		t.Fatalf("case author %q status %q", c.Author.Handle, c.Status)
	}
	if c.FirstResponseDue == nil {
		t.Fatal("case needing a response has no first_response_due")
	}
	types := map[model.EventType]int{}
	for _, e := range c.Events {
		types[e.Type]++
	}
	if types[model.EventCaseOpened] != 1 || len(c.Events) != 1 {
		t.Fatalf("events = %v", types)
	}
}

func TestOutboundSetsFirstResponse(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	root := ingestOne(t, p, mention("200", "dee", "I was charged twice for the same visit, this is ridiculous", t0))
	out := mention("201", "lonestar", "We're sorry, Dee. Please send us a DM so we can fix this.", t0.Add(20*time.Minute))
	out.Direction = model.DirectionOutbound
	out.InReplyTo = "200"
	if r := ingestOne(t, p, out); r.CaseID != root.CaseID {
		t.Fatalf("outbound joined case %d, want %d", r.CaseID, root.CaseID)
	}
	later := mention("202", "lonestar", "Following up on this.", t0.Add(2*time.Hour))
	later.Direction = model.DirectionOutbound
	later.InReplyTo = "200"
	ingestOne(t, p, later)
	c, err := st.GetCase(ctx, root.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("first_response_at = %v, want %v", c.FirstResponseAt, t0.Add(20*time.Minute))
	}
	if c.Status != model.StatusOpen {
		t.Fatalf("status = %q, want open after a response", c.Status)
	}
	// Our own standalone post starts no case.
	post := mention("203", "lonestar", "Open enrollment starts Monday!", t0)
	post.Direction = model.DirectionOutbound
	if r := ingestOne(t, p, post); r.CaseID != 0 {
		t.Fatalf("standalone outbound post got case %d", r.CaseID)
	}
}

func TestSentimentFirstAndLastAndReopen(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	root := ingestOne(t, p, mention("300", "eve", "Terrible service, on hold for two hours and nobody helped me", t0))
	if err := agentAt(st, nil, t0.Add(time.Hour)).SetStatus(ctx, root.CaseID, model.StatusResolved, "agent@example.org"); err != nil {
		t.Fatal(err)
	}
	thanks := mention("301", "eve", "Thank you so much, the team fixed it. Great help!", t0.Add(2*time.Hour))
	thanks.InReplyTo = "300"
	if r := ingestOne(t, p, thanks); r.CaseID != root.CaseID {
		t.Fatalf("reply joined case %d, want %d", r.CaseID, root.CaseID)
	}
	c, err := st.GetCase(ctx, root.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.SentimentFirst != model.SentimentNegative || c.SentimentLast != model.SentimentPositive {
		t.Fatalf("sentiment first %q last %q, want negative then positive", c.SentimentFirst, c.SentimentLast)
	}
	if c.Status != model.StatusOpen {
		t.Fatalf("status = %q, want reopened", c.Status)
	}
	reopened := false
	for _, e := range c.Events {
		reopened = reopened || e.Type == model.EventReopened
	}
	if !reopened {
		t.Fatal("no reopened event")
	}
}

func TestCriticalIsUrgent(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	calm := ingestOne(t, p, mention("400", "fay", "How do I change my appointment?", t0))
	crisis := ingestOne(t, p, mention("401", "gus", "I can't breathe and have crushing chest pain, the ER sent me home", t0.Add(time.Minute)))
	if crisis.Analysis.Urgency.Level != model.UrgencyCritical {
		t.Fatalf("urgency = %+v", crisis.Analysis.Urgency)
	}
	cases, _, err := st.ListCases(ctx, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].ID != crisis.CaseID || cases[0].Priority != model.PriorityUrgent || cases[1].ID != calm.CaseID {
		t.Fatalf("queue order wrong: %+v", cases)
	}
	due := cases[0].FirstResponseDue
	if due == nil || !due.Equal(t0.Add(16*time.Minute)) {
		t.Fatalf("urgent due = %v, want 15 minutes after the post", due)
	}
}

func TestBatchWithBadItemsKeepsGoodOnes(t *testing.T) {
	p, st, _ := newPipeline(t)
	good := mention("500", "hal", "Is Dr. Patel in network?", t0)
	bad := mention("", "hal", "no id", t0)
	dupInBatch := mention("500", "hal", "Is Dr. Patel in network?", t0)
	rs, err := p.Ingest(context.Background(), []model.Mention{good, bad, dupInBatch})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Err != nil || rs[0].ID == 0 {
		t.Fatalf("good item: %+v", rs[0])
	}
	if rs[1].Err == nil {
		t.Fatal("bad item accepted")
	}
	if !rs[2].Duplicate || rs[2].ID != rs[0].ID {
		t.Fatalf("in-batch duplicate: %+v", rs[2])
	}
	c, _ := st.Count(context.Background())
	if c.Mentions != 1 {
		t.Fatalf("mentions = %d, want 1", c.Mentions)
	}
}

func TestSameProfile(t *testing.T) {
	base := model.Author{ID: "1", Handle: "ann", Name: "Ann", Followers: 1000, Following: 50, Posts: 3}
	for _, tc := range []struct {
		name string
		edit func(*model.Author)
		same bool
	}{
		{"unchanged", func(*model.Author) {}, true},
		{"followers drift 5%", func(a *model.Author) { a.Followers = 1050 }, true},
		{"followers jump 20%", func(a *model.Author) { a.Followers = 1200 }, false},
		{"one more post of three", func(a *model.Author) { a.Posts = 4 }, false},
		{"new name", func(a *model.Author) { a.Name = "Ann B." }, false},
		{"new handle", func(a *model.Author) { a.Handle = "annb" }, false},
		{"verified", func(a *model.Author) { a.Verified = true }, false},
		{"moved", func(a *model.Author) { a.Location = "Austin, TX" }, false},
	} {
		b := base
		tc.edit(&b)
		if got := sameProfile(base, b); got != tc.same {
			t.Errorf("%s: sameProfile = %v, want %v", tc.name, got, tc.same)
		}
	}
}

func TestAuthorProfileChangeIsStored(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	first := ingestOne(t, p, mention("400", "fay", "Where is my card?", t0))
	m := mention("401", "fay", "Still waiting on my card", t0.Add(time.Hour))
	m.Author.Name = "Fay Lopez"
	m.Author.Followers = 11 // within 10% of 10: not worth a write alone
	ingestOne(t, p, m)
	c, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Author.Name != "Fay Lopez" || c.Author.Followers != 11 {
		t.Fatalf("author = %+v, want the new name and counts", c.Author)
	}
}

// TestBatchPrefetchAcrossManyAuthors stores a batch from more authors
// than one prefetch query takes, then a second batch from the same
// authors plus replies to the first: each follow-up joins its author's
// case, each reply the case it answers, and no case is opened twice.
func TestBatchPrefetchAcrossManyAuthors(t *testing.T) {
	p, st, _ := newPipeline(t)
	ctx := context.Background()
	const n = 620
	first := make([]model.Mention, n)
	for i := range first {
		first[i] = mention(fmt.Sprintf("a%d", i), fmt.Sprintf("member%d", i), "Still waiting on my claim, three weeks now", t0.Add(time.Duration(i)*time.Second))
	}
	rs1, err := p.Ingest(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	var second []model.Mention
	for i := range first {
		follow := mention(fmt.Sprintf("b%d", i), fmt.Sprintf("member%d", i), "Any update? Nobody has called me back", t0.Add(30*time.Minute))
		if i%2 == 1 {
			// Half answer their own first post by reply id instead.
			follow.InReplyTo = fmt.Sprintf("a%d", i)
		}
		second = append(second, follow)
	}
	rs2, err := p.Ingest(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs2 {
		if rs2[i].Err != nil || rs2[i].Duplicate {
			t.Fatalf("second batch row %d: %+v", i, rs2[i])
		}
		if rs2[i].CaseID != rs1[i].CaseID {
			t.Fatalf("row %d joined case %d, want its author's case %d", i, rs2[i].CaseID, rs1[i].CaseID)
		}
	}
	c, err := st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cases != n || c.Mentions != 2*n {
		t.Fatalf("counts = %+v, want %d cases and %d mentions", c, n, 2*n)
	}
	cs, err := st.GetCase(ctx, rs1[n-1].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if cs.MentionCount != 2 {
		t.Fatalf("case %d has %d mentions, want 2", cs.ID, cs.MentionCount)
	}
}

// TestDuplicateAnswersWithTheStoredAnalysis resends stored mentions,
// alone and within a batch: each result is a duplicate with the stored
// ids and the analysis stored for the mention (as the case shows it). A
// stored mention resent with other text is its author's edit: the stored
// one takes it (updated); a copy of a mention the same batch stored is
// a plain duplicate of it.
func TestDuplicateAnswersWithTheStoredAnalysis(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	first := ingestOne(t, p, mention("1", "ann", "Thank you so much, the nurses were wonderful and kind", t0))
	if first.Analysis == nil || first.Analysis.Sentiment.Label != model.SentimentPositive {
		t.Fatalf("first result = %+v, want a positive analysis", first)
	}
	same := ingestOne(t, p, mention("1", "ann", "Thank you so much, the nurses were wonderful and kind", t0))
	if !same.Duplicate || same.Updated || same.ID != first.ID || !reflect.DeepEqual(same.Analysis, first.Analysis) {
		t.Fatalf("same copy = %+v, want a plain duplicate of %+v", same, first)
	}
	resent := mention("1", "ann", "Terrible. I was charged twice and nobody answers the phone", t0)
	fresh := analyze.New().Analyze(analyze.InputFromMention(&resent))
	if fresh.Sentiment.Label == first.Analysis.Sentiment.Label {
		t.Fatalf("the resent text's analysis %+v should differ from the stored %+v", fresh, first.Analysis)
	}
	again := ingestOne(t, p, resent)
	if !again.Duplicate || !again.Updated || again.ID != first.ID || again.CaseID != first.CaseID {
		t.Fatalf("resent result = %+v, want an updated duplicate of %+v", again, first)
	}
	c, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Mentions) != 1 || c.Mentions[0].Text != resent.Text {
		t.Fatalf("case mentions %+v: the edit is not stored", c.Mentions)
	}
	if !reflect.DeepEqual(again.Analysis, c.Mentions[0].Analysis) || again.Analysis.Sentiment.Label != fresh.Sentiment.Label {
		t.Fatalf("edit's analysis %+v, stored %+v, want the edit's %+v", again.Analysis, c.Mentions[0].Analysis, fresh)
	}
	first = again

	// Within one batch: a new mention, then a copy of it with other
	// text, then the stored one resent once more.
	batch := []model.Mention{
		mention("2", "bo", "Where do I find my member ID card online?", t0.Add(time.Minute)),
		mention("2", "bo", "This plan is a scam, worst service ever", t0.Add(time.Minute)),
		resent,
	}
	rs, err := p.Ingest(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Duplicate || !rs[1].Duplicate || rs[1].ID != rs[0].ID || rs[1].CaseID != rs[0].CaseID {
		t.Fatalf("batch results %+v: want the second a duplicate of the first", rs)
	}
	if !reflect.DeepEqual(rs[1].Analysis, rs[0].Analysis) {
		t.Fatalf("in-batch duplicate's analysis %+v, stored %+v", rs[1].Analysis, rs[0].Analysis)
	}
	if !rs[2].Duplicate || rs[2].Updated || rs[2].ID != first.ID || !reflect.DeepEqual(rs[2].Analysis, first.Analysis) {
		t.Fatalf("resent again: %+v, want the first's ids and analysis %+v", rs[2], first.Analysis)
	}
}
