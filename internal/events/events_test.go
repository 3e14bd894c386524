package events

import "testing"

func TestBrokerDeliversAndCountsDrops(t *testing.T) {
	b := NewBroker()
	fast := b.Subscribe(10)
	slow := b.Subscribe(1)
	for i := range 3 {
		b.Publish(Event{Type: MentionAdded, CaseID: int64(i + 1)})
	}
	for i := range 3 {
		if e := <-fast.C; e.CaseID != int64(i+1) {
			t.Fatalf("fast got case %d, want %d", e.CaseID, i+1)
		}
	}
	if e := <-slow.C; e.CaseID != 1 {
		t.Fatalf("slow got case %d, want 1", e.CaseID)
	}
	if slow.Dropped() != 2 || fast.Dropped() != 0 {
		t.Fatalf("dropped: slow %d fast %d, want 2 and 0", slow.Dropped(), fast.Dropped())
	}
	fast.Close()
	fast.Close() // idempotent
	if _, ok := <-fast.C; ok {
		t.Fatal("closed subscription still open")
	}
	b.Publish(Event{Type: CaseChanged}) // must not panic on closed subscriber
}
