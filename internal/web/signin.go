package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"earshot/internal/auth"
)

// Limits on password checks (sign-in and the current password on
// /password). Each account gets freeAttempts at once; after that each
// attempt holds the next back twice as long as the one before, from
// firstWait up to maxWait, so that guessing is slow but a guesser cannot
// lock the real person out for long. Attempts are forgotten forgetAfter
// the last one, and at most maxFailureRows accounts are remembered.
const (
	freeAttempts   = 3
	firstWait      = time.Second
	maxWait        = 5 * time.Minute
	forgetAfter    = time.Hour
	maxFailureRows = 100_000
)

// Each client address may start addressBurst password checks at once and
// one more every addressEvery; maxAddresses addresses are remembered.
// A check waits at most slotWait for one of Config.PasswordChecks slots.
const (
	addressBurst = 20
	addressEvery = 3 * time.Second
	maxAddresses = 20_000
	slotWait     = time.Second
)

// attemptWait is how long the attempt after attempt n of an account is
// held back.
func attemptWait(n int) time.Duration {
	if n < freeAttempts {
		return 0
	}
	if shift := n - freeAttempts; shift < 16 {
		return min(firstWait<<shift, maxWait)
	}
	return maxWait
}

// signinGuard bounds password checks: argon2id takes 64 MiB and a
// fraction of a second each, so an unbounded number at once would let
// anyone exhaust memory without an account.
type signinGuard struct {
	// slots holds one token per check running.
	slots    chan struct{}
	slotWait time.Duration
	addrs    *addressLimits
	trusted  []netip.Prefix
	// check is auth.CheckPassword; tests count and hold calls.
	check func(hash, password string) (bool, error)
}

func newSigninGuard(slots int, trusted []netip.Prefix) *signinGuard {
	return &signinGuard{slots: make(chan struct{}, slots), slotWait: slotWait, trusted: trusted, check: auth.CheckPassword,
		addrs: &addressLimits{every: rate.Every(addressEvery), burst: addressBurst, max: maxAddresses, byKey: map[netip.Prefix]*rate.Limiter{}}}
}

// acquire takes a slot for a password check, waiting at most slotWait.
// It reports false when none came free (or ctx ended).
func (g *signinGuard) acquire(ctx context.Context) (release func(), ok bool) {
	t := time.NewTimer(g.slotWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-g.slots }) }, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// verdict is the outcome of a guarded password check.
type verdict struct {
	ok bool
	// refused, when set, says why the password was not checked, and wait
	// when to try again.
	refused string
	wait    time.Duration
	release func()
}

// Release frees the check's slot (once, however often it is called):
// as soon as the handler no longer hashes; a password change hashes the
// new password in the same slot.
func (v verdict) Release() {
	if v.release != nil {
		v.release()
	}
}

// verifyPassword checks password against hash for the account email
// within the limits: the client address's rate, a free slot, and the
// account's attempts, reserved before the check so that attempts sent at
// once are counted one after another. A good password forgets the
// account's failures. A refused attempt runs no check.
func (s *Server) verifyPassword(r *http.Request, email, hash, password string) (verdict, error) {
	ctx, g := r.Context(), s.signin
	now := s.cfg.Now().UTC()
	addr := g.clientAddr(r)
	if ok, wait := g.addrs.allow(addressKey(addr), now); !ok {
		s.cfg.Logger.Warn("password check refused: too many from one address", "address", addr.String())
		return verdict{refused: "Too many sign-in attempts from your network. Try again in " + roundWait(wait) + ".", wait: wait}, nil
	}
	release, ok := g.acquire(ctx)
	if !ok {
		if err := ctx.Err(); err != nil {
			return verdict{}, err
		}
		s.cfg.Logger.Warn("password check refused: every slot busy")
		return verdict{refused: "Many people are signing in right now. Try again in a moment.", wait: time.Second}, nil
	}
	v := verdict{release: release}
	attempt, left, err := s.cfg.Store.ReserveLoginAttempt(ctx, email, now, now.Add(-forgetAfter), attemptWait)
	if err != nil {
		v.Release()
		return verdict{}, err
	}
	if attempt == 0 {
		v.refused, v.wait = "Too many failed sign-ins for this account. Try again in "+roundWait(left)+".", left
		return v, nil
	}
	// A hash that does not parse matches nothing.
	if v.ok, _ = g.check(hash, password); !v.ok {
		s.cfg.Logger.Warn("password check failed", "attempt", attempt)
		return v, nil
	}
	if err := s.cfg.Store.ClearLoginFailures(ctx, email); err != nil {
		v.Release()
		return verdict{}, err
	}
	return v, nil
}

// roundWait says a wait in whole seconds, at least one.
func roundWait(d time.Duration) string {
	return (time.Duration(retryAfterSeconds(d)) * time.Second).String()
}

func retryAfterSeconds(d time.Duration) int64 { return max(int64(math.Ceil(d.Seconds())), 1) }

// refuse answers a refused password check: 429 with Retry-After, on page.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, v verdict, page string, data any) {
	w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(v.wait), 10))
	s.render(w, r, http.StatusTooManyRequests, page, data)
}

// clientAddr is the address a request came from: the peer, or, when the
// peer is a trusted proxy, the nearest address in X-Forwarded-For that is
// not one (addresses further left were written by the client and prove
// nothing).
func (g *signinGuard) clientAddr(r *http.Request) netip.Addr {
	peer := parseAddr(r.RemoteAddr)
	if !g.isTrusted(peer) {
		return peer
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if a = a.Unmap(); !g.isTrusted(a) {
			return a
		}
	}
	return peer
}

func (g *signinGuard) isTrusted(a netip.Addr) bool {
	for _, p := range g.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseAddr reads the IP of a RemoteAddr (host:port, or a bare address);
// the zero Addr when it holds none.
func parseAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(remote)
	return a.Unmap()
}

// addressKey is what one client is counted by: an IPv4 address, or the
// /64 of an IPv6 one (a single customer usually holds a whole /64).
func addressKey(a netip.Addr) netip.Prefix {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p
	}
	p, _ := a.Prefix(a.BitLen())
	return p
}

// addressLimits holds a token bucket per client address, at most max of
// them. Each replica counts its own.
type addressLimits struct {
	every rate.Limit
	burst int
	max   int
	mu    sync.Mutex
	byKey map[netip.Prefix]*rate.Limiter
}

// allow takes one attempt from key's bucket at now. When the bucket is
// empty it takes nothing and says how long until an attempt would pass.
func (l *addressLimits) allow(key netip.Prefix, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.byKey[key]
	if !ok {
		if len(l.byKey) >= l.max {
			l.evict(now)
		}
		lim = rate.NewLimiter(l.every, l.burst)
		l.byKey[key] = lim
	}
	res := lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// evict makes room for new addresses: it forgets those whose bucket is
// full again (a new bucket would be the same), and when that is not
// enough, arbitrary ones down to nine tenths of max, so that the map
// stays bounded under a spray from many addresses and the cost of a
// sweep is shared by many attempts.
func (l *addressLimits) evict(now time.Time) {
	for k, lim := range l.byKey {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.byKey, k)
		}
	}
	for k := range l.byKey {
		if len(l.byKey) < l.max*9/10 {
			break
		}
		delete(l.byKey, k)
	}
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// CIDR prefixes (the --trusted-proxies setting).
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an IP address or a CIDR prefix such as 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
