// Package egress is outbound HTTP (and SMTP) that cannot be turned
// against our own network. Alert targets and connectors' base URLs come
// from people who may not control the server, so every connection is
// checked after DNS, address by address, against a Policy that refuses
// loopback, private, link-local, shared, multicast and unspecified
// addresses unless the operator allows them. Redirects are never
// followed, and what a remote server answers is not kept.
package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Policy says which inner networks outbound connections may reach. The
// zero Policy reaches the public internet only.
type Policy struct {
	// AllowPrivate lets connections reach every inner network: for a
	// test, or a server whose targets all live inside.
	AllowPrivate bool
	// Allow are inner networks reachable all the same, such as the
	// address of an internal mail relay.
	Allow []netip.Prefix
}

// UserAgent is sent with every request that does not set its own.
const UserAgent = "Earshot"

// Bounds of one request, for a Client made with a zero timeout.
const (
	DefaultTimeout = 15 * time.Second
	dialTimeout    = 10 * time.Second
	// drainBytes is how much of an answer Send reads before closing it,
	// so that the connection can serve the next request.
	drainBytes = 4 << 10
)

// Dialer returns a dialer that connects only to addresses p allows,
// checked after name resolution, so a name that resolves inward (or
// starts to, between two requests) is refused too.
func (p Policy) Dialer(timeout time.Duration) *net.Dialer {
	if timeout <= 0 {
		timeout = dialTimeout
	}
	return &net.Dialer{
		Timeout:   timeout,
		KeepAlive: 30 * time.Second,
		ControlContext: func(_ context.Context, network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("egress: %s address %q: %w", network, address, err)
			}
			return p.CheckAddr(ap.Addr())
		},
	}
}

// Client returns an HTTP client whose connections p checks (see Dialer).
// It uses no proxy from the environment (a proxy would hide where a
// request goes), follows no redirect (the 3xx is the answer), bounds
// the whole request by timeout (DefaultTimeout when 0) and sends
// UserAgent.
func (p Policy) Client(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	t := &http.Transport{
		Proxy:                  nil,
		DialContext:            p.Dialer(min(timeout, dialTimeout)).DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    min(timeout, dialTimeout),
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        90 * time.Second,
	}
	return &http.Client{
		Transport: userAgent{t},
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

type userAgent struct{ next http.RoundTripper }

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", UserAgent)
	}
	return u.next.RoundTrip(r)
}

// StatusError is an answer that was not a success. It keeps the status
// only: the body is the remote server's words, which may be anything.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.Code/100 == 3 {
		s += " (redirects are not followed: give the address it points to)"
	}
	return s
}

// Send sends req with c and returns nil for a 2xx answer, a
// *StatusError for any other. The body of the answer is read up to a
// small bound and thrown away. Errors name the method and host, never
// the path or query, which for webhooks often hold a secret.
func Send(c *http.Client, req *http.Request) error {
	where := req.Method + " " + req.URL.Scheme + "://" + req.URL.Host
	res, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: %w", where, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, drainBytes))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %w", where, &StatusError{Code: res.StatusCode})
	}
	return nil
}
