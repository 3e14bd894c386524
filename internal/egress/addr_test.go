package egress_test

import (
	"errors"
	"net/netip"
	"net/url"
	"testing"

	"earshot/internal/egress"
)

func TestCheckURLRefusesInnerAddresses(t *testing.T) {
	for _, tc := range []struct {
		url, class string
	}{
		{"http://127.0.0.1/", egress.Loopback},
		{"http://127.8.9.10:8080/x", egress.Loopback},
		{"http://169.254.169.254/latest/meta-data/", egress.LinkLocal},
		{"http://[::1]/", egress.Loopback},
		{"http://[0:0:0:0:0:0:0:1]:9000/", egress.Loopback},
		{"http://localhost/", egress.Loopback},
		{"http://LocalHost./", egress.Loopback},
		{"https://api.localhost/hook", egress.Loopback},
		{"http://0.0.0.0/", egress.Unspecified},
		{"http://0/", egress.Unspecified},
		{"http://0.1.2.3/", egress.ThisNetwork},
		{"http://[::]/", egress.Unspecified},
		{"http://2130706433/", egress.Loopback},
		{"http://0x7f.1/", egress.Loopback},
		{"http://0X7F000001/", egress.Loopback},
		{"http://017700000001/", egress.Loopback},
		{"http://0177.0.0.1/", egress.Loopback},
		{"http://127.1/", egress.Loopback},
		{"http://127.0.0.1./", egress.Loopback},
		{"http://10.0.0.5/", egress.Private},
		{"http://172.16.1.1/", egress.Private},
		{"http://172.31.255.255/", egress.Private},
		{"http://192.168.1.1/", egress.Private},
		{"http://0xa9.0xfe.0xa9.0xfe/", egress.LinkLocal},
		{"http://2852039166/", egress.LinkLocal},
		{"http://100.64.0.1/", egress.SharedNAT},
		{"http://224.0.0.1/", egress.Multicast},
		{"http://255.255.255.255/", egress.Reserved},
		{"http://[fd00::1]/", egress.Private},
		{"http://[fe80::1%25eth0]/", egress.LinkLocal},
		{"http://[ff02::1]/", egress.Multicast},
		{"http://[::ffff:127.0.0.1]/", egress.Loopback},
		{"http://[::ffff:a9fe:a9fe]/", egress.LinkLocal},
		{"http://[::ffff:10.1.2.3]/", egress.Private},
		{"http://[64:ff9b::7f00:1]/", egress.Loopback},
		{"http://[2002:a9fe:a9fe::1]/", egress.LinkLocal},
		{"http://user:pw@127.0.0.1/", egress.Loopback},
	} {
		err := egress.Policy{}.CheckURL(tc.url)
		var re *egress.RefusedError
		if !errors.As(err, &re) || re.Class != tc.class {
			t.Errorf("CheckURL(%s) = %v, want a %s refusal", tc.url, err, tc.class)
		}
		if err := (egress.Policy{AllowPrivate: true}).CheckURL(tc.url); err != nil {
			t.Errorf("CheckURL(%s) allowing private addresses = %v", tc.url, err)
		}
	}
}

func TestCheckURLAllowsTheInternet(t *testing.T) {
	for _, u := range []string{
		"https://hooks.slack.com/services/T0/B0/x",
		"https://example.org:8443/hook?x=1",
		"http://8.8.8.8/",
		"http://134744072/", // 8.8.8.8 written as one number
		"https://[2606:4700::1111]/",
		"http://172.32.0.1/",
		"http://100.128.0.1/",
		"http://localhost.example.org/",
		"http://my-localhost/",
	} {
		if err := (egress.Policy{}).CheckURL(u); err != nil {
			t.Errorf("CheckURL(%s) = %v, want nil", u, err)
		}
	}
}

func TestCheckURLRefusesWhatIsNoURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.org/", "file:///etc/passwd", "gopher://127.0.0.1/", "//example.org/", "http:///x",
		"http://1.2.3.4.5/", "http://256.1.1.1/", "http://4294967296/", "http://09/", "http://1..1/"} {
		err := (egress.Policy{AllowPrivate: true}).CheckURL(u)
		var re *egress.RefusedError
		if err == nil || errors.As(err, &re) {
			t.Errorf("CheckURL(%q) = %v, want it refused as no usable URL", u, err)
		}
	}
}

func TestPolicyAllowsListedNetworks(t *testing.T) {
	p := egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24")}}
	if err := p.CheckURL("http://10.1.2.3/"); err != nil {
		t.Errorf("listed network refused: %v", err)
	}
	if err := p.CheckURL("http://[::ffff:10.1.2.3]/"); err != nil {
		t.Errorf("listed network, mapped, refused: %v", err)
	}
	if err := p.CheckURL("http://10.1.3.3/"); err == nil {
		t.Error("an unlisted private address was allowed")
	}
	if err := p.CheckURL("http://localhost/"); err == nil {
		t.Error("localhost was allowed by a list without loopback")
	}
}

func TestRefusedErrorSaysWhere(t *testing.T) {
	for u, want := range map[string]string{
		"http://0x7f.1/":        "0x7f.1 is 127.0.0.1, a loopback address",
		"http://0.0.0.0/":       "0.0.0.0 is an unspecified address",
		"http://[fe80::1]/":     "fe80::1 is a link-local address",
		"http://db.localhost./": "db.localhost. names a loopback address",
	} {
		if err := (egress.Policy{}).CheckURL(u); err == nil || err.Error() != want {
			t.Errorf("CheckURL(%s) = %v, want %q", u, err, want)
		}
	}
}

// FuzzCheckHost holds the classifier to its promises for any host: it
// never panics, what it reads as an address reads back the same, and a
// host passes the default Policy exactly when that address is public.
func FuzzCheckHost(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "2130706433", "0x7f.1", "017700000001", "localhost", "a.localhost", "::ffff:127.0.0.1",
		"example.org", "0", "0x", "1.2.3.4.", "fe80::1%eth0", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "99999999999", "1.0x10.0377.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		ip, perr := egress.ParseHost(host)
		cerr := egress.Policy{}.CheckHost(host)
		if perr != nil {
			if cerr == nil && host != "" {
				t.Fatalf("CheckHost(%q) = nil, but ParseHost says %v", host, perr)
			}
			return
		}
		if !ip.IsValid() {
			return
		}
		if back, err := egress.ParseHost(ip.String()); err != nil || back != ip {
			t.Fatalf("ParseHost(%q) = %v; reading %v back gives %v, %v", host, ip, ip, back, err)
		}
		if (cerr == nil) != (egress.Class(ip) == "") {
			t.Fatalf("CheckHost(%q) = %v but %v is class %q", host, cerr, ip, egress.Class(ip))
		}
		if err := (egress.Policy{AllowPrivate: true}).CheckHost(host); err != nil {
			t.Fatalf("CheckHost(%q) allowing private addresses = %v", host, err)
		}
		// A URL naming the address checks the same as its host.
		if u, err := url.Parse("http://" + host + "/"); err == nil && u.Hostname() == host {
			if uerr := (egress.Policy{}).CheckURL(u.String()); (uerr == nil) != (cerr == nil) {
				t.Fatalf("CheckURL(%s) = %v, CheckHost = %v", u, uerr, cerr)
			}
		}
	})
}
