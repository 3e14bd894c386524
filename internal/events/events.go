// Package events carries live notifications (a mention arrived, a case
// changed) from the pipeline to open views, in process. Slow subscribers
// miss events rather than slow the pipeline; each subscription counts
// what it missed.
package events

import (
	"sync"
	"sync/atomic"
)

// Event is one live notification.
type Event struct {
	Type      string `json:"type"`
	CaseID    int64  `json:"case_id"`
	MentionID int64  `json:"mention_id,omitempty"`
}

// Event types.
const (
	MentionAdded = "mention_added"
	CaseChanged  = "case_changed"
)

// Broker fans events out to subscribers. The zero value is not usable;
// call NewBroker.
type Broker struct {
	mu   sync.RWMutex
	subs map[*Subscription]struct{}
}

// NewBroker returns a broker with no subscribers.
func NewBroker() *Broker {
	return &Broker{subs: make(map[*Subscription]struct{})}
}

// Subscription receives events on C until Close.
type Subscription struct {
	C       <-chan Event
	c       chan Event
	b       *Broker
	dropped atomic.Int64
	once    sync.Once
}

// Subscribe returns a subscription buffering up to buf events.
func (b *Broker) Subscribe(buf int) *Subscription {
	c := make(chan Event, buf)
	s := &Subscription{C: c, c: c, b: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Dropped returns how many events this subscription missed because its
// buffer was full.
func (s *Subscription) Dropped() int64 { return s.dropped.Load() }

// Close ends the subscription and closes C.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.b.mu.Lock()
		delete(s.b.subs, s)
		s.b.mu.Unlock()
		close(s.c)
	})
}

// Publish delivers e to every subscriber without blocking.
func (b *Broker) Publish(e Event) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		select {
		case s.c <- e:
		default:
			s.dropped.Add(1)
		}
	}
}
