package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// Classes of addresses that are not the public internet.
const (
	Loopback    = "loopback"
	Private     = "private"
	LinkLocal   = "link-local"
	Unspecified = "unspecified"
	Multicast   = "multicast"
	SharedNAT   = "shared (carrier-grade NAT)"
	ThisNetwork = "this-network (0.0.0.0/8)"
	Reserved    = "reserved"
)

// inner lists the networks a request from Earshot must not reach
// without the operator's leave, most specific first.
var inner = []struct {
	prefix netip.Prefix
	class  string
}{
	{netip.MustParsePrefix("0.0.0.0/32"), Unspecified},
	{netip.MustParsePrefix("0.0.0.0/8"), ThisNetwork},
	{netip.MustParsePrefix("10.0.0.0/8"), Private},
	{netip.MustParsePrefix("100.64.0.0/10"), SharedNAT},
	{netip.MustParsePrefix("127.0.0.0/8"), Loopback},
	{netip.MustParsePrefix("169.254.0.0/16"), LinkLocal}, // cloud metadata at 169.254.169.254
	{netip.MustParsePrefix("172.16.0.0/12"), Private},
	{netip.MustParsePrefix("192.0.0.0/24"), Reserved},
	{netip.MustParsePrefix("192.168.0.0/16"), Private},
	{netip.MustParsePrefix("198.18.0.0/15"), Reserved},
	{netip.MustParsePrefix("224.0.0.0/4"), Multicast},
	{netip.MustParsePrefix("240.0.0.0/4"), Reserved}, // and the broadcast address
	{netip.MustParsePrefix("::/128"), Unspecified},
	{netip.MustParsePrefix("::1/128"), Loopback},
	{netip.MustParsePrefix("::/8"), Reserved}, // IPv4-compatible and other early forms
	{netip.MustParsePrefix("64:ff9b:1::/48"), Private},
	{netip.MustParsePrefix("100::/64"), Reserved},
	{netip.MustParsePrefix("fc00::/7"), Private},
	{netip.MustParsePrefix("fe80::/10"), LinkLocal},
	{netip.MustParsePrefix("fec0::/10"), Private}, // the old site-local
	{netip.MustParsePrefix("ff00::/8"), Multicast},
}

// Embedded IPv4 addresses: the well-known NAT64 prefix and 6to4 reach
// the IPv4 address they carry.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixto4 = netip.MustParsePrefix("2002::/16")
)

// Class names the kind of inner network ip belongs to (Loopback,
// Private, ...), or returns "" for an address on the public internet.
// IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are
// classed by that address.
func Class(ip netip.Addr) string {
	ip = ip.WithZone("")
	if ip.Is6() {
		b := ip.As16()
		switch {
		case ip.Is4In6():
			ip = ip.Unmap()
		case nat64.Contains(ip):
			ip = netip.AddrFrom4([4]byte(b[12:16]))
		case sixto4.Contains(ip):
			ip = netip.AddrFrom4([4]byte(b[2:6]))
		}
	}
	for _, n := range inner {
		if n.prefix.Contains(ip) {
			return n.class
		}
	}
	return ""
}

// RefusedError says that a host or address is in an inner network that
// the Policy does not allow.
type RefusedError struct {
	Host  string     // as written, when it was not an address
	Addr  netip.Addr // the address, when known
	Class string
}

func (e *RefusedError) Error() string {
	a := "a"
	if strings.IndexByte("aeiou", e.Class[0]) >= 0 {
		a = "an"
	}
	switch {
	case !e.Addr.IsValid():
		return fmt.Sprintf("%s names %s %s address", e.Host, a, e.Class)
	case e.Host != "" && e.Host != e.Addr.String():
		return fmt.Sprintf("%s is %s, %s %s address", e.Host, e.Addr, a, e.Class)
	}
	return fmt.Sprintf("%s is %s %s address", e.Addr, a, e.Class)
}

// CheckAddr returns a *RefusedError when p does not allow ip.
func (p Policy) CheckAddr(ip netip.Addr) error {
	if r := p.refusal(ip); r != nil {
		return r
	}
	return nil
}

// refusal is why p does not allow ip, or nil when it does.
func (p Policy) refusal(ip netip.Addr) *RefusedError {
	c := Class(ip)
	if c == "" || p.AllowPrivate {
		return nil
	}
	for _, n := range p.Allow {
		if n.Contains(ip.WithZone("").Unmap()) {
			return nil
		}
	}
	return &RefusedError{Addr: ip, Class: c}
}

// CheckHost checks a host as written in a URL or setting, without DNS:
// an IP address in any form a resolver accepts (2130706433, 0x7f.1,
// 017700000001, [::ffff:127.0.0.1]) and the names localhost and
// *.localhost are refused when p does not allow where they lead. Other
// names pass; the address they resolve to is checked when connecting.
func (p Policy) CheckHost(host string) error {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "" {
		return errors.New("the host is missing")
	}
	ip, err := ParseHost(h)
	switch {
	case err != nil:
		return err
	case ip.IsValid():
		if r := p.refusal(ip); r != nil {
			r.Host = host
			return r
		}
	case h == "localhost" || strings.HasSuffix(h, ".localhost"):
		// RFC 6761: resolvers answer these with loopback.
		if p.refusal(netip.AddrFrom4([4]byte{127, 0, 0, 1})) != nil {
			return &RefusedError{Host: host, Class: Loopback}
		}
	}
	return nil
}

// CheckURL checks that raw is an absolute http or https URL whose host
// p allows (see CheckHost).
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http or https URL")
	}
	return p.CheckHost(u.Hostname())
}

// ParseHost reads host as an IP address the way resolvers and browsers
// do (the WHATWG URL standard): an IPv6 address, or, when the last label
// is a number, an IPv4 address in dotted, shortened, decimal, octal or
// hex form. It returns the zero Addr for a name, and an error for a host
// that ends in a number but is no address.
func ParseHost(host string) (netip.Addr, error) {
	host = strings.ToLower(host)
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip, nil
	}
	parts := strings.Split(host, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if _, ok := number(parts[len(parts)-1]); !ok && !hexLike(parts[len(parts)-1]) && !decimalLike(parts[len(parts)-1]) {
		return netip.Addr{}, nil
	}
	bad := fmt.Errorf("host %q ends in a number but is not an IPv4 address", host)
	if len(parts) > 4 {
		return netip.Addr{}, bad
	}
	var v uint64
	for i, s := range parts {
		n, ok := number(s)
		last := i == len(parts)-1
		if !ok || (!last && n > 255) || (last && n >= 1<<(8*(5-len(parts)))) {
			return netip.Addr{}, bad
		}
		if last {
			v |= n
		} else {
			v |= n << (8 * (3 - i))
		}
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), nil
}

// decimalLike and hexLike say whether a label is meant as a number
// (WHATWG "ends in a number"), whether or not it is a valid one.
func decimalLike(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func hexLike(s string) bool {
	r, ok := strings.CutPrefix(s, "0x")
	return ok && strings.Trim(r, "0123456789abcdef") == ""
}

// number reads one IPv4 part: 0x hex, 0 octal or decimal; ok is false
// for anything else, or a value above 2^32.
func number(s string) (uint64, bool) {
	base := uint64(10)
	switch {
	case s == "":
		return 0, false
	case strings.HasPrefix(s, "0x"):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		var d uint64
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if n = n*base + d; n > 1<<32 {
			return 0, false
		}
	}
	return n, true
}
