package cli

import (
	"strings"
	"testing"
)

// TestApplyPrivateTargetsNeedTheOperatorsLeave: a file whose alert target
// is on loopback or a private network is refused with its line and field;
// the operator allows such targets with --allow-private-targets or
// EARSHOT_ALLOW_PRIVATE_TARGETS, all of them or some networks only.
func TestApplyPrivateTargetsNeedTheOperatorsLeave(t *testing.T) {
	env, _ := storeEnv(t)
	file := func(url string) string {
		return "organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: webhook, url: \"" + url + "\"}\n"
	}
	for _, tc := range []struct {
		url   string
		flags []string
		env   string
		ok    bool
	}{
		{"http://127.0.0.1:9000/hook", nil, "", false},
		{"http://2130706433/hook", nil, "", false},
		{"http://169.254.169.254/", nil, "", false},
		{"http://127.0.0.1:9000/hook", []string{"--allow-private-targets"}, "", true},
		{"http://127.0.0.1:9000/hook", nil, "true", true},
		{"http://10.1.2.25/hook", []string{"--allow-private-targets=10.1.2.0/24"}, "", true},
		{"http://127.0.0.1:9000/hook", []string{"--allow-private-targets=10.1.2.0/24"}, "", false},
		{"http://10.1.2.25/hook", nil, "10.1.2.25", true},
		{"http://10.1.2.25/hook", []string{"--allow-private-targets=false"}, "true", false},
	} {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		if tc.env != "" {
			e["EARSHOT_ALLOW_PRIVATE_TARGETS"] = tc.env
		}
		args := append([]string{"apply", "--check", "-f", "-"}, tc.flags...)
		code, _, stderr := run(t, e, file(tc.url), args...)
		switch {
		case tc.ok && code != 0:
			t.Errorf("%s %v env %q: exit %d, %s", tc.url, tc.flags, tc.env, code, stderr)
		case !tc.ok && (code != 1 || !strings.Contains(stderr, "line 4: alerts[0].url:") || !strings.Contains(stderr, "address")):
			t.Errorf("%s %v env %q: exit %d, %s; want it refused at line 4, alerts[0].url", tc.url, tc.flags, tc.env, code, stderr)
		}
	}
	if code, _, stderr := run(t, env, file("http://127.0.0.1/"), "apply", "-f", "-", "--allow-private-targets=nearby"); code != 2 || !strings.Contains(stderr, "nearby") {
		t.Errorf("a bad setting: exit %d, %s", code, stderr)
	}
}
