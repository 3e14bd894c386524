package cli

import (
	"io"
	"net/http"
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

// TestServePrivateTargetsNeedTheOperatorsLeave: serve checks files put
// through the API against its own setting, from the environment here.
func TestServePrivateTargetsNeedTheOperatorsLeave(t *testing.T) {
	env, _ := storeEnv(t)
	code, token, stderr := run(t, env, "", "token", "create", "--name", "t", "--role", "admin")
	if code != 0 {
		t.Fatalf("token: exit %d, %s", code, stderr)
	}
	token = strings.TrimSpace(token[strings.LastIndexByte(strings.TrimSpace(token), '\n')+1:])
	const file = "organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: slack, url: \"http://127.0.0.1:9/hook\"}\n"
	for _, tc := range []struct {
		setting string
		want    int
	}{{"", http.StatusUnprocessableEntity}, {"127.0.0.0/8", http.StatusOK}} {
		e := map[string]string{"EARSHOT_ADDR": "127.0.0.1:0", "EARSHOT_ALLOW_PRIVATE_TARGETS": tc.setting}
		for k, v := range env {
			e[k] = v
		}
		url, _, cancel, done := startServe(t, e)
		t.Cleanup(func() { cancel(); <-done })
		req, _ := http.NewRequest(http.MethodPut, url+"/api/v1/org", strings.NewReader(file))
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("EARSHOT_ALLOW_PRIVATE_TARGETS=%q: PUT /api/v1/org %d %s, want %d", tc.setting, res.StatusCode, body, tc.want)
		}
	}
}
