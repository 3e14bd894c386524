package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/store"
)

// checkSpy stands in for argon2id: it counts the checks that run and how
// many run at once, and holds each until gate is closed (nil: no hold).
type checkSpy struct {
	ran, running, most atomic.Int32
	entered            chan struct{}
	gate               chan struct{}
	opened             sync.Once
}

// open lets held checks go on.
func (c *checkSpy) open() {
	if c.gate != nil {
		c.opened.Do(func() { close(c.gate) })
	}
}

func newCheckSpy(hold bool) *checkSpy {
	c := &checkSpy{entered: make(chan struct{}, 1000)}
	if hold {
		c.gate = make(chan struct{})
	}
	return c
}

func (c *checkSpy) check(hash, password string) (bool, error) {
	c.ran.Add(1)
	n := c.running.Add(1)
	defer c.running.Add(-1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
	c.entered <- struct{}{}
	if c.gate != nil {
		<-c.gate
	}
	return hash == sharedHash() && password == testPassword, nil
}

// guard replaces the app's sign-in guard with one of slots slots that
// trusts the test client's loopback address as a proxy (so that each
// request can say its client in X-Forwarded-For) and checks with spy.
func (h *harness) guard(slots int, spy *checkSpy) *signinGuard {
	g := newSigninGuard(slots, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")})
	g.check = spy.check
	h.app.signin = g
	return g
}

type answer struct {
	code       int
	retryAfter string
	location   string
	body       string
}

// postFrom submits a form as the client at addr (X-Forwarded-For).
func (h *harness) postFrom(c *http.Client, addr, path string, form url.Values) answer {
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	res, err := c.Do(req)
	if err != nil {
		h.t.Error(err)
		return answer{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Location"), string(b)}
}

// signInForm is a sign-in as email with password.
func signInForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// inflight is a set of requests sent at once.
type inflight struct {
	out  []answer
	done chan struct{}
	wg   sync.WaitGroup
}

// send sends n forms at once, the i-th from address 10.<tag>.x.y, and
// returns once each is held in the spy's check or answered.
func (h *harness) send(spy *checkSpy, tag, n int, path string, c func(i int) *http.Client, form func(i int) url.Values) *inflight {
	f := &inflight{out: make([]answer, n), done: make(chan struct{}, n)}
	for i := range n {
		f.wg.Go(func() {
			f.out[i] = h.postFrom(c(i), fmt.Sprintf("10.%d.%d.%d", tag, i/250, i%250+1), path, form(i))
			f.done <- struct{}{}
		})
	}
	if spy.gate != nil {
		for range n {
			select {
			case <-spy.entered:
			case <-f.done:
			}
		}
	}
	return f
}

// answers lets the held checks finish and returns every answer.
func (f *inflight) answers(spy *checkSpy) []answer {
	spy.open()
	f.wg.Wait()
	return f.out
}

// burst sends n forms at once and returns their answers.
func (h *harness) burst(spy *checkSpy, n int, path string, c func(i int) *http.Client, form func(i int) url.Values) []answer {
	return h.send(spy, 1, n, path, c, form).answers(spy)
}

func TestSignInWaitsGrowAndStayShort(t *testing.T) {
	h := newHarness(t)
	h.app.signin.check = newCheckSpy(false).check
	c := h.client()
	bad := signInForm("agent@example.org", "not the password")
	good := signInForm("agent@example.org", testPassword)
	for i := range freeAttempts {
		if a := h.postFrom(c, "", "/login", bad); a.code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, a.code)
		}
	}
	if a := h.postFrom(c, "", "/login", good); a.code != http.StatusTooManyRequests || a.retryAfter != "1" || !strings.Contains(a.body, "Try again in 1s") {
		t.Fatalf("right password while held back: %d, Retry-After %q", a.code, a.retryAfter)
	}
	// Each failure holds the next attempt back twice as long, up to maxWait.
	var longest time.Duration
	for i := freeAttempts; i < 16; i++ {
		wait := attemptWait(i)
		longest = max(longest, wait)
		h.clock.Add(wait)
		if a := h.postFrom(c, "", "/login", bad); a.code != http.StatusUnauthorized {
			t.Fatalf("failure %d after waiting %v: %d", i+1, wait, a.code)
		}
	}
	if longest != maxWait || maxWait > 5*time.Minute {
		t.Fatalf("longest wait %v, want the cap %v of at most 5 minutes", longest, maxWait)
	}
	h.clock.Add(maxWait)
	if a := h.postFrom(c, "", "/login", good); a.code != http.StatusSeeOther {
		t.Fatalf("right password once the wait is over: %d %s", a.code, a.body)
	}
	if f, _ := h.st.GetLoginFailures(context.Background(), "agent@example.org"); f.Failures != 0 {
		t.Fatalf("failures after success: %+v", f)
	}
}

// TestSignInParallelWrongPasswordsAreCounted sends 60 wrong passwords for
// one account at once, from 60 addresses: only the free attempts are
// checked.
func TestSignInParallelWrongPasswordsAreCounted(t *testing.T) {
	h := newHarness(t)
	spy := newCheckSpy(true) // held, as argon2id's fraction of a second would
	h.guard(100, spy)
	answers := h.burst(spy, 60, "/login", func(int) *http.Client { return h.client() },
		func(int) url.Values { return signInForm("agent@example.org", "wrong password 1") })
	codes := map[int]int{}
	for _, a := range answers {
		codes[a.code]++
	}
	if got := spy.ran.Load(); got != freeAttempts || codes[http.StatusUnauthorized] != freeAttempts || codes[http.StatusTooManyRequests] != 60-freeAttempts {
		t.Fatalf("60 wrong passwords at once: %d checked, answers %v; want %d checked", got, codes, freeAttempts)
	}
}

// TestSignInBurstWithRightPasswordLast sends 29 wrong passwords at once
// and, while they are being checked, the right one: it must wait.
func TestSignInBurstWithRightPasswordLast(t *testing.T) {
	h := newHarness(t)
	spy := newCheckSpy(true)
	h.guard(100, spy)
	fresh := func(int) *http.Client { return h.client() }
	guesses := h.send(spy, 1, 29, "/login", fresh,
		func(i int) url.Values { return signInForm("agent@example.org", fmt.Sprintf("wrong password %d", i)) })
	// While the guesses that got through are being checked, the right one.
	right := h.send(spy, 2, 1, "/login", fresh, func(int) url.Values { return signInForm("agent@example.org", testPassword) })
	codes := map[int]int{}
	for _, a := range guesses.answers(spy) {
		codes[a.code]++
	}
	if a := right.answers(spy)[0]; a.code != http.StatusTooManyRequests {
		t.Fatalf("right password sent during 29 wrong ones: %d; %d checks ran, guesses answered %v", a.code, spy.ran.Load(), codes)
	}
	if got := spy.ran.Load(); got != freeAttempts {
		t.Fatalf("%d checks ran, want %d (guesses answered %v)", got, freeAttempts, codes)
	}
}

// TestPasswordChecksAreBounded sends 10 sign-ins for 10 accounts from 10
// addresses at once with 2 slots: 2 checks run, the other 8 are answered
// 429 without one.
func TestPasswordChecksAreBounded(t *testing.T) {
	h := newHarness(t)
	spy := newCheckSpy(true)
	g := h.guard(2, spy)
	g.slotWait = 20 * time.Millisecond
	answers := h.burst(spy, 10, "/login", func(int) *http.Client { return h.client() },
		func(i int) url.Values { return signInForm(fmt.Sprintf("nobody%d@example.org", i), "wrong password 1") })
	busy := 0
	for _, a := range answers {
		if a.code == http.StatusTooManyRequests && a.retryAfter == "1" && strings.Contains(a.body, "Try again in a moment") {
			busy++
		}
	}
	if spy.ran.Load() != 2 || spy.most.Load() != 2 || busy != 8 {
		t.Fatalf("10 at once with 2 slots: %d checks ran, %d at most at once, %d refused as busy; want 2, 2, 8",
			spy.ran.Load(), spy.most.Load(), busy)
	}
	if len(g.slots) != 0 {
		t.Fatalf("%d slots still taken after every request answered", len(g.slots))
	}
}

func TestSignInThrottledPerAddress(t *testing.T) {
	h := newHarness(t)
	spy := newCheckSpy(false)
	h.app.signin.check = spy.check // the peer's address counts: no proxy is trusted
	c := h.client()
	for i := range addressBurst {
		if a := h.postFrom(c, "", "/login", signInForm(fmt.Sprintf("user%d@example.org", i), "wrong password 1")); a.code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, a.code)
		}
	}
	// A client cannot claim another address unless it is a trusted proxy.
	a := h.postFrom(c, "203.0.113.7", "/login", signInForm("agent@example.org", testPassword))
	if a.code != http.StatusTooManyRequests || !strings.Contains(a.body, "from your network") || a.retryAfter != "3" {
		t.Fatalf("attempt past the address's burst: %d, Retry-After %q", a.code, a.retryAfter)
	}
	if got := spy.ran.Load(); got != addressBurst {
		t.Fatalf("%d checks ran, want %d: a refused attempt must not be checked", got, addressBurst)
	}
	h.clock.Add(addressEvery)
	if a := h.postFrom(c, "", "/login", signInForm("agent@example.org", testPassword)); a.code != http.StatusSeeOther {
		t.Fatalf("after the address's bucket refilled: %d", a.code)
	}
}

func TestClientAddress(t *testing.T) {
	g := newSigninGuard(1, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")})
	for _, tc := range []struct {
		remote, xff, want string
	}{
		{"192.0.2.1:4000", "", "192.0.2.1"},
		{"192.0.2.1:4000", "203.0.113.5", "192.0.2.1"},                // not a trusted proxy: the header is ignored
		{"10.0.0.2:4000", "203.0.113.5", "203.0.113.5"},               // a trusted proxy names the client
		{"10.0.0.2:4000", "198.51.100.1, 203.0.113.5", "203.0.113.5"}, // the client's own claim, on the left, proves nothing
		{"10.0.0.2:4000", "203.0.113.5, 10.0.0.9", "203.0.113.5"},     // through two proxies
		{"10.0.0.2:4000", "nonsense", "10.0.0.2"},
		{"10.0.0.2:4000", "", "10.0.0.2"},
		{"[::ffff:192.0.2.1]:80", "", "192.0.2.1"},
		{"[fd00::1]:80", "2001:db8::7", "2001:db8::7"},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := g.clientAddr(r).String(); got != tc.want {
			t.Errorf("%s with X-Forwarded-For %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
	for addr, key := range map[string]string{"192.0.2.1": "192.0.2.1/32", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64"} {
		if got := addressKey(netip.MustParseAddr(addr)).String(); got != key {
			t.Errorf("addressKey(%s) = %s, want %s", addr, got, key)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7,fd00::/8"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8,proxy.example"); err == nil || !strings.Contains(err.Error(), "proxy.example") {
		t.Fatalf("a host name as a trusted proxy: %v", err)
	}
}

func TestAddressLimitsStayBounded(t *testing.T) {
	g := newSigninGuard(1, nil)
	l := g.addrs
	l.max = 100
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 5000 {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		l.allow(addressKey(a), now)
		if len(l.byKey) > l.max {
			t.Fatalf("%d addresses remembered after %d, want at most %d", len(l.byKey), i+1, l.max)
		}
	}
}

// TestPasswordChangeIsThrottled checks the current password of /password
// like a sign-in: 30 guesses at once, only the free attempts checked.
func TestPasswordChangeIsThrottled(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("agent")
	spy := newCheckSpy(false)
	h.guard(100, spy)
	form := func(i int) url.Values {
		return url.Values{"current": {fmt.Sprintf("guess number %d", i)}, "new": {"a fresh long secret"}, "confirm": {"a fresh long secret"}}
	}
	h.burst(spy, 30, "/password", func(int) *http.Client { return c }, form)
	if got := spy.ran.Load(); got != freeAttempts {
		t.Fatalf("30 guesses of the current password at once: %d checked, want %d", got, freeAttempts)
	}
	a := h.postFrom(c, "10.7.7.7", "/password", url.Values{"current": {testPassword}, "new": {"a fresh long secret"}, "confirm": {"a fresh long secret"}})
	if a.code != http.StatusTooManyRequests || a.retryAfter == "" {
		t.Fatalf("right current password after the guesses: %d", a.code)
	}
}

func TestPasswordChangeRefusesWeak(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("agent")
	for _, tc := range []struct{ password, why string }{
		{"            ", "only spaces"},
		{"aaaaaaaaaaaa", "repeats"},
		{"password1234", "too common"},
		{"agent@example.org", "email"},
	} {
		code, _, body := h.post(c, "/password", url.Values{"current": {testPassword}, "new": {tc.password}, "confirm": {tc.password}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.why) {
			t.Errorf("new password %q: %d; want 422 saying %q", tc.password, code, tc.why)
		}
	}
	if code, _, _ := h.post(h.client(), "/login", signInForm("agent@example.org", testPassword)); code != http.StatusSeeOther {
		t.Fatalf("the old password no longer signs in: %d", code)
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/cases/12?tab=notes":           "/cases/12?tab=notes",
		"/":                             "/",
		"":                              "/",
		"cases/12":                      "/",
		"//evil.example/x":              "/",
		"/\\evil.example":               "/",
		"/x\\..\\..\\evil":              "/",
		"/\t/evil.example":              "/",
		"/\n/evil.example":              "/",
		"/\r/evil.example":              "/",
		"/\x00/evil.example":            "/",
		"/\x7f/evil.example":            "/",
		"https://evil.example":          "/",
		"/\xff":                         "/",
		"/" + strings.Repeat("a", 2000): "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// FuzzSafeNext checks that whatever next holds, a browser following the
// redirect stays on this site: the result resolves to our own host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/cases/1", "//evil.example", "/\\evil.example", "/\t/evil.example", "/%2F%2Fevil", "/a/../..//evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://care.example.org/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		// A browser drops tabs and newlines and reads \ as /.
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := base.Parse(seen)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither home nor unchanged", next, got)
		}
		if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leads to %v (%v)", next, got, u, err)
		}
	})
}

func TestSignInNextWithControlCharacters(t *testing.T) {
	h := newHarness(t)
	form := signInForm("agent@example.org", testPassword)
	form.Set("next", "/\t/evil.example/x")
	if code, loc, _ := h.post(h.client(), "/login", form); code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("sign in with a tab in next: %d, Location %q; want 303 to /", code, loc)
	}
}

// TestSessionMaxAge keeps a session busy: it still ends SessionMaxAge
// after sign-in, and the sweep deletes it.
func TestSessionMaxAge(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("agent")
	start := h.clock.Now()
	for h.clock.Now().Sub(start) < h.app.cfg.SessionMaxAge-time.Hour {
		h.clock.Add(time.Hour)
		if code, _ := h.get(c, "/"); code != http.StatusOK {
			t.Fatalf("busy session %v after sign-in: %d", h.clock.Now().Sub(start), code)
		}
	}
	h.clock.Add(time.Hour)
	if code, _ := h.get(c, "/"); code != http.StatusSeeOther {
		t.Fatalf("session %v after sign-in, used every hour: %d; want it ended", h.clock.Now().Sub(start), code)
	}
	h.app.sweep(context.Background())
	cookies := c.Jar.Cookies(mustURL(h.srv.URL))
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	// Asked as of sign-in, when it was valid: only deletion hides it.
	if _, _, err := h.st.SessionUser(context.Background(), auth.HashToken(cookies[0].Value), start); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the session outlived the sweep: %v", err)
	}
}

// TestSweepForgetsSprayedEmails sprays sign-ins for made-up emails: the
// sweep forgets them once they are old.
func TestSweepForgetsSprayedEmails(t *testing.T) {
	h := newHarness(t)
	spy := newCheckSpy(false)
	h.guard(100, spy)
	email := func(i int) string { return fmt.Sprintf("spray-%d@example.net", i) }
	h.burst(spy, 40, "/login", func(int) *http.Client { return h.client() }, func(i int) url.Values { return signInForm(email(i), "wrong password 1") })
	ctx := context.Background()
	if f, _ := h.st.GetLoginFailures(ctx, email(7)); f.Failures != 1 {
		t.Fatalf("a sprayed email's failure was not counted: %+v", f)
	}
	h.app.sweep(ctx)
	if f, _ := h.st.GetLoginFailures(ctx, email(7)); f.Failures != 1 {
		t.Fatalf("the sweep forgot a fresh failure: %+v", f)
	}
	h.clock.Add(forgetAfter + time.Minute)
	h.app.sweep(ctx)
	for i := range 40 {
		if f, err := h.st.GetLoginFailures(ctx, email(i)); err != nil || f.Failures != 0 {
			t.Fatalf("%s still remembered after the sweep: %+v %v", email(i), f, err)
		}
	}
}
