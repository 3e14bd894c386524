package egress

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ParsePolicy reads a Policy as an operator writes it: "true" (or 1)
// allows every inner network, "false" (or 0, or nothing) none, and a
// comma-separated list of addresses and networks (10.1.2.25,
// 192.168.0.0/16, fd00::/8) allows those only.
func ParsePolicy(s string) (Policy, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Policy{}, nil
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return Policy{AllowPrivate: b}, nil
	}
	var p Policy
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		pre, err := netip.ParsePrefix(f)
		if err != nil {
			ip, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return Policy{}, fmt.Errorf("%q is neither true, false, an IP address nor a network like 10.0.0.0/8", f)
			}
			pre = netip.PrefixFrom(ip, ip.BitLen())
		}
		p.Allow = append(p.Allow, pre.Masked())
	}
	return p, nil
}

// String writes p as ParsePolicy reads it.
func (p Policy) String() string {
	if p.AllowPrivate {
		return "true"
	}
	if len(p.Allow) == 0 {
		return "false"
	}
	s := make([]string, len(p.Allow))
	for i, n := range p.Allow {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}
