package web

import (
	"sort"
	"sync"
	"time"
)

// typingFor is how long a typing signal lasts without another.
const typingFor = 6 * time.Second

// viewer is one person with a case open.
type viewer struct {
	conns  int
	typing time.Time
}

// presenceEntry is what other viewers see of one person.
type presenceEntry struct {
	Name   string `json:"name"`
	Typing bool   `json:"typing"`
}

// presence tracks who views and who types on each case, in this process,
// and tells the case's other viewers when that changes.
type presence struct {
	mu    sync.Mutex
	cases map[int64]map[string]*viewer
	subs  map[int64]map[chan struct{}]struct{}
	now   func() time.Time
}

func newPresence() *presence {
	return &presence{cases: map[int64]map[string]*viewer{}, subs: map[int64]map[chan struct{}]struct{}{}, now: time.Now}
}

// join registers name as viewing caseID; the returned channel receives a
// signal whenever the case's presence changes, until leave is called.
func (p *presence) join(caseID int64, name string) (changed <-chan struct{}, leave func()) {
	c := make(chan struct{}, 1)
	p.mu.Lock()
	if p.cases[caseID] == nil {
		p.cases[caseID] = map[string]*viewer{}
		p.subs[caseID] = map[chan struct{}]struct{}{}
	}
	v := p.cases[caseID][name]
	if v == nil {
		v = &viewer{}
		p.cases[caseID][name] = v
	}
	v.conns++
	p.subs[caseID][c] = struct{}{}
	p.notifyLocked(caseID)
	p.mu.Unlock()
	return c, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.subs[caseID], c)
		if v.conns--; v.conns == 0 {
			delete(p.cases[caseID], name)
		}
		if len(p.cases[caseID]) == 0 && len(p.subs[caseID]) == 0 {
			delete(p.cases, caseID)
			delete(p.subs, caseID)
			return
		}
		p.notifyLocked(caseID)
	}
}

// typing records that name is (or stopped) typing on caseID.
func (p *presence) typing(caseID int64, name string, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := p.cases[caseID][name]
	if v == nil {
		return
	}
	if on {
		v.typing = p.now().Add(typingFor)
	} else {
		v.typing = time.Time{}
	}
	p.notifyLocked(caseID)
}

func (p *presence) notifyLocked(caseID int64) {
	for c := range p.subs[caseID] {
		select {
		case c <- struct{}{}:
		default: // a signal is already pending
		}
	}
}

// list returns who is on caseID, by name.
func (p *presence) list(caseID int64) []presenceEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	out := make([]presenceEntry, 0, len(p.cases[caseID]))
	for name, v := range p.cases[caseID] {
		out = append(out, presenceEntry{Name: name, Typing: v.typing.After(now)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
