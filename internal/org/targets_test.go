package org

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"earshot/internal/egress"
)

const targetsFile = `organization: T
timezone: UTC
smtp: {host: %q, from: earshot@example.org}
alerts:
  - {id: desk, type: email, to: [desk@example.org]}
  - {id: hook, type: %s, url: %q, account: AC1, from: "+1555", to: ["+1556"], secret_env: S}
`

// TestTargetsInOurOwnNetworkAreRefused: an alert target or mail server
// that names an inner address, in any form a resolver reads, is refused
// with its line and field unless the server allows private targets.
func TestTargetsInOurOwnNetworkAreRefused(t *testing.T) {
	for _, typ := range []string{TargetWebhook, TargetSlack, TargetTeams, TargetSMS} {
		for _, u := range []string{
			"http://127.0.0.1:8080/hook",
			"http://169.254.169.254/latest/meta-data/",
			"http://[::1]/",
			"http://localhost/",
			"https://svc.localhost/",
			"http://0.0.0.0/",
			"http://2130706433/",
			"http://0x7f.1/",
			"http://017700000001/",
			"http://10.0.0.8/",
			"http://192.168.0.1/",
			"http://[fd12::1]/",
			"http://[::ffff:169.254.169.254]/",
			"http://100.100.100.200/",
		} {
			src := fmt.Sprintf(targetsFile, "mail.example.org", typ, u)
			_, err := Parse([]byte(src))
			var oe *Error
			if !errors.As(err, &oe) || len(oe.Problems) != 1 {
				t.Errorf("%s %s: %v, want one problem", typ, u, err)
				continue
			}
			p := oe.Problems[0]
			if p.Line != 6 || p.Field != "alerts[1].url" || !strings.Contains(p.Msg, "address") || !strings.Contains(p.Msg, "EARSHOT_ALLOW_PRIVATE_TARGETS") {
				t.Errorf("%s %s: %+v", typ, u, p)
			}
			if _, err := ParseWith([]byte(src), Options{Egress: egress.Policy{AllowPrivate: true}}); err != nil {
				t.Errorf("%s %s with private targets allowed: %v", typ, u, err)
			}
		}
	}
	for _, host := range []string{"127.0.0.1", "localhost", "10.1.1.25", "::1", "0x7f000001"} {
		src := fmt.Sprintf(targetsFile, host, TargetWebhook, "https://example.org/hook")
		_, err := Parse([]byte(src))
		var oe *Error
		if !errors.As(err, &oe) || len(oe.Problems) != 1 || oe.Problems[0].Field != "smtp.host" || oe.Problems[0].Line != 3 {
			t.Errorf("smtp host %s: %v, want a problem at smtp.host, line 3", host, err)
		}
		if _, err := ParseWith([]byte(src), Options{Egress: egress.Policy{AllowPrivate: true}}); err != nil {
			t.Errorf("smtp host %s with private targets allowed: %v", host, err)
		}
	}
	// A target that only resolves inward is caught when connecting.
	if _, err := Parse([]byte(fmt.Sprintf(targetsFile, "mail.example.org", TargetWebhook, "https://hooks.example.org/x"))); err != nil {
		t.Errorf("a public target: %v", err)
	}
}

// TestStoredFilesKeepTheirTargets: a file applied while private targets
// were allowed still loads when they no longer are (deliveries to it are
// refused when they connect).
func TestStoredFilesKeepTheirTargets(t *testing.T) {
	src := fmt.Sprintf(targetsFile, "127.0.0.1", TargetWebhook, "http://127.0.0.1:9/hook")
	if _, err := ParseStored([]byte(src)); err != nil {
		t.Fatal(err)
	}
}
