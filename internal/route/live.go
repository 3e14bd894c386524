package route

import (
	"sync/atomic"
	"time"
)

// Live holds the Router of the organisation file in force. Readers take
// the current Router without locking; Set swaps in a new one when a file
// is applied. The zero Live routes with no file (DefaultPolicy).
type Live struct {
	r       atomic.Pointer[Router]
	version atomic.Pointer[time.Time]
}

// NewLive returns a Live holding r (nil for no organisation file).
func NewLive(r *Router) *Live {
	l := &Live{}
	if r != nil {
		l.r.Store(r)
	}
	return l
}

// noOrg is the Router of no organisation file.
func noOrg() *Router {
	r, err := Compile(nil)
	if err != nil {
		panic(err) // an empty file in UTC always compiles
	}
	return r
}

// Router returns the Router in force.
func (l *Live) Router() *Router {
	if l == nil {
		return noOrg()
	}
	if r := l.r.Load(); r != nil {
		return r
	}
	r := noOrg()
	l.r.CompareAndSwap(nil, r)
	return l.r.Load()
}

// Set puts r in force, built from the file applied at version.
func (l *Live) Set(r *Router, version time.Time) {
	l.r.Store(r)
	l.version.Store(&version)
}

// Version returns when the file in force was applied (zero for none).
func (l *Live) Version() time.Time {
	if v := l.version.Load(); v != nil {
		return *v
	}
	return time.Time{}
}
