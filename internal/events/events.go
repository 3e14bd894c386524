// Package events carries live notifications (a mention arrived, a case
// changed, a user was @mentioned) from the pipeline and the web app to
// open views, in process.
//
// Slow-consumer policy: publishing never blocks. Each subscription has
// its own buffer; when a subscriber falls so far behind that its buffer
// is full, the event is not queued for it and the subscription is marked
// lagged instead (Lagged fires once per overflow, Dropped counts the
// events). A lagged subscriber must resynchronise from the store, so no
// loss is silent. Every event carries a sequence number, and the broker
// keeps a window of recent events so that a reconnecting subscriber
// (an EventSource sending Last-Event-ID) gets what it missed, or a lag
// signal when the gap is older than the window.
package events

import (
	"sync"
	"sync/atomic"
)

// Event is one live notification.
type Event struct {
	// Seq is assigned by Publish: 1, 2, 3... within one broker.
	Seq       int64  `json:"seq,omitempty"`
	Type      string `json:"type"`
	CaseID    int64  `json:"case_id"`
	MentionID int64  `json:"mention_id,omitempty"`
	// UserID addresses an event to one user (Notified); 0 is for everyone.
	UserID int64 `json:"-"`
}

// Event types.
const (
	MentionAdded = "mention_added"
	CaseChanged  = "case_changed"
	// Notified: the user UserID has a new in-app notification.
	Notified = "notified"
)

// DefaultHistory is how many recent events a broker keeps for replay.
const DefaultHistory = 4096

// Broker fans events out to subscribers. The zero value is not usable;
// call NewBroker.
type Broker struct {
	mu   sync.Mutex
	seq  int64
	ring []Event // the last len(ring) events; ring[seq%len] holds seq
	subs map[*Subscription]struct{}
}

// NewBroker returns a broker with no subscribers that keeps the last
// DefaultHistory events for replay.
func NewBroker() *Broker { return NewBrokerHistory(DefaultHistory) }

// NewBrokerHistory returns a broker that keeps the last history events
// (at least one) for replay.
func NewBrokerHistory(history int) *Broker {
	return &Broker{ring: make([]Event, max(1, history)), subs: make(map[*Subscription]struct{})}
}

// Subscription receives events on C until Close.
type Subscription struct {
	C       <-chan Event
	c       chan Event
	lag     chan struct{}
	b       *Broker
	dropped atomic.Int64
	once    sync.Once
}

// Subscribe returns a subscription to events published from now on,
// buffering up to buf of them.
func (b *Broker) Subscribe(buf int) *Subscription {
	b.mu.Lock()
	after := b.seq
	b.mu.Unlock()
	return b.SubscribeAfter(buf, after)
}

// SubscribeAfter returns a subscription that first receives the kept
// events with a sequence number above after, then new ones. When some of
// those events are no longer kept (or after is from another broker's
// life), the subscription starts lagged.
func (b *Broker) SubscribeAfter(buf int, after int64) *Subscription {
	b.mu.Lock()
	defer b.mu.Unlock()
	oldest := max(1, b.seq-int64(len(b.ring))+1)
	missed := b.seq - after
	c := make(chan Event, max(buf, int(max(0, min(missed, int64(len(b.ring)))))))
	s := &Subscription{C: c, c: c, lag: make(chan struct{}, 1), b: b}
	switch {
	case after < 0 || after > b.seq || after+1 < oldest:
		s.lag <- struct{}{}
	default:
		for q := after + 1; q <= b.seq; q++ {
			c <- b.ring[q%int64(len(b.ring))]
		}
	}
	b.subs[s] = struct{}{}
	return s
}

// Lagged fires when the subscriber missed events (its buffer was full or
// its replay gap too old) and must reload what it shows.
func (s *Subscription) Lagged() <-chan struct{} { return s.lag }

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

// Publish numbers e and delivers it to every subscriber without
// blocking; a subscriber whose buffer is full is marked lagged.
func (b *Broker) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	e.Seq = b.seq
	b.ring[b.seq%int64(len(b.ring))] = e
	for s := range b.subs {
		select {
		case s.c <- e:
		default:
			s.dropped.Add(1)
			select {
			case s.lag <- struct{}{}:
			default:
			}
		}
	}
}

// Seq returns the sequence number of the last published event.
func (b *Broker) Seq() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

// Subscribers returns how many subscriptions are open.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}
