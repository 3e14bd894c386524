package ingest

import (
	"context"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/model"
	"earshot/internal/store"
)

// A conversation whose root Earshot never stored (or stored without a
// case, as our own post) is still one case: its replies find the case
// of its first reply, in the same batch, in later ones, after a restart,
// and the root joins it when it arrives late.
func TestThreadWithoutStoredRoot(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	reply := func(id, handle, thread, to string, at time.Duration) model.Mention {
		m := mention(id, handle, "Same trouble with my claim here", t0.Add(at))
		m.ThreadID, m.InReplyTo = thread, to
		return m
	}

	// Two first replies to an unseen post, in one batch.
	rs, err := p.Ingest(ctx, []model.Mention{
		reply("201", "ann", "900", "900", time.Hour),
		reply("202", "bob", "900", "901", 2*time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	first := rs[0].CaseID
	if first == 0 || rs[1].CaseID != first {
		t.Fatalf("first replies in cases %d and %d, want one case", rs[0].CaseID, rs[1].CaseID)
	}
	// A later batch, answering a reply that was never stored either.
	if r := ingestOne(t, p, reply("203", "cy", "900", "950", 3*time.Hour)); r.CaseID != first {
		t.Fatalf("later reply joined case %d, want %d", r.CaseID, first)
	}
	// Another process on the same store.
	p2 := New(st, analyze.New(), Options{Now: func() time.Time { return t0.Add(4 * time.Hour) }})
	if r := ingestOne(t, p2, reply("204", "dee", "900", "", 4*time.Hour)); r.CaseID != first {
		t.Fatalf("reply through a new pipeline joined case %d, want %d", r.CaseID, first)
	}
	// The root arrives last and joins its conversation.
	if r := ingestOne(t, p, reply("900", "eve", "900", "", 5*time.Hour)); r.CaseID != first {
		t.Fatalf("late root joined case %d, want %d", r.CaseID, first)
	}

	// Our own post is stored without a case; the replies to it share
	// the case of the first one.
	post := mention("700", "lonestar", "Open enrollment starts Monday", t0)
	post.Direction = model.DirectionOutbound
	if r := ingestOne(t, p, post); r.CaseID != 0 {
		t.Fatalf("our own post opened case %d", r.CaseID)
	}
	a := ingestOne(t, p, reply("701", "fay", "700", "700", time.Hour))
	if a.CaseID == 0 || a.CaseID == first {
		t.Fatalf("first reply to our post in case %d", a.CaseID)
	}
	if r := ingestOne(t, p2, reply("702", "gus", "700", "", 2*time.Hour)); r.CaseID != a.CaseID {
		t.Fatalf("second reply to our post joined case %d, want %d", r.CaseID, a.CaseID)
	}

	// A thread whose root is stored with a case needs no record: its
	// replies find the root.
	root := ingestOne(t, p, mention("800", "hal", "My card never came", t0))
	if r := ingestOne(t, p, reply("801", "ida", "800", "", time.Hour)); r.CaseID != root.CaseID {
		t.Fatalf("reply to a stored root joined case %d, want %d", r.CaseID, root.CaseID)
	}
	for thread, want := range map[string]bool{"900": true, "700": true, "800": false} {
		var got bool
		if err := st.WriteBatch(ctx, func(b *store.Batch) error {
			_, ok, err := b.ThreadCase(ctx, "x", thread)
			got = ok
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("thread %s recorded = %v, want %v", thread, got, want)
		}
	}
}
