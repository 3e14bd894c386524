package events

import (
	"sync"
	"testing"
)

func TestBrokerDeliversAndSignalsLag(t *testing.T) {
	b := NewBroker()
	fast := b.Subscribe(10)
	slow := b.Subscribe(1)
	for i := range 3 {
		b.Publish(Event{Type: MentionAdded, CaseID: int64(i + 1)})
	}
	for i := range 3 {
		if e := <-fast.C; e.CaseID != int64(i+1) || e.Seq != int64(i+1) {
			t.Fatalf("fast got case %d seq %d, want %d", e.CaseID, e.Seq, i+1)
		}
	}
	if e := <-slow.C; e.CaseID != 1 {
		t.Fatalf("slow got case %d, want 1", e.CaseID)
	}
	if slow.Dropped() != 2 || fast.Dropped() != 0 {
		t.Fatalf("dropped: slow %d fast %d, want 2 and 0", slow.Dropped(), fast.Dropped())
	}
	select {
	case <-slow.Lagged():
	default:
		t.Fatal("a subscriber that missed events was not told to resync")
	}
	select {
	case <-fast.Lagged():
		t.Fatal("a subscriber that kept up was told to resync")
	default:
	}
	fast.Close()
	fast.Close() // idempotent
	if _, ok := <-fast.C; ok {
		t.Fatal("closed subscription still open")
	}
	b.Publish(Event{Type: CaseChanged}) // must not panic on closed subscriber
	if b.Subscribers() != 1 {
		t.Fatalf("subscribers %d, want 1", b.Subscribers())
	}
}

func TestSubscribeAfterReplaysOrLags(t *testing.T) {
	b := NewBrokerHistory(4)
	for i := range 6 {
		b.Publish(Event{Type: CaseChanged, CaseID: int64(i + 1)})
	}
	tests := []struct {
		name   string
		after  int64
		want   []int64 // sequence numbers replayed
		lagged bool
	}{
		{"up to date", 6, nil, false},
		{"two behind", 4, []int64{5, 6}, false},
		{"whole window", 2, []int64{3, 4, 5, 6}, false},
		{"older than the window", 1, nil, true},
		{"from a previous broker", 9, nil, true},
		{"negative", -1, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := b.SubscribeAfter(1, tt.after)
			defer s.Close()
			var got []int64
			for len(s.C) > 0 {
				got = append(got, (<-s.C).Seq)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("replayed %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("replayed %v, want %v", got, tt.want)
				}
			}
			lagged := len(s.Lagged()) == 1
			if lagged != tt.lagged {
				t.Fatalf("lagged %v, want %v", lagged, tt.lagged)
			}
		})
	}
}

// TestConcurrentPublishers checks that events published from many
// goroutines reach every subscriber with a large enough buffer, each
// exactly once and in sequence order.
func TestConcurrentPublishers(t *testing.T) {
	b := NewBroker()
	const subs, pubs, each = 50, 8, 200
	ss := make([]*Subscription, subs)
	for i := range ss {
		ss[i] = b.Subscribe(pubs * each)
	}
	var wg sync.WaitGroup
	for p := range pubs {
		wg.Go(func() {
			for i := range each {
				b.Publish(Event{Type: MentionAdded, CaseID: int64(p*each + i)})
			}
		})
	}
	wg.Wait()
	for i, s := range ss {
		if n := len(s.C); n != pubs*each {
			t.Fatalf("subscriber %d got %d events, want %d", i, n, pubs*each)
		}
		var last int64
		for range pubs * each {
			e := <-s.C
			if e.Seq != last+1 {
				t.Fatalf("subscriber %d: seq %d after %d", i, e.Seq, last)
			}
			last = e.Seq
		}
	}
}
