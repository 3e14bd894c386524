package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"earshot/internal/store"
)

// TestUserAddRefusesWeakPasswords checks that earshot user add keeps the
// password rule of every other door, says why, and stores no one.
func TestUserAddRefusesWeakPasswords(t *testing.T) {
	env, cfg := storeEnv(t)
	for _, tc := range []struct{ password, why string }{
		{"            ", "only spaces"},
		{"aaaaaaaaaaaa", "repeats"},
		{"password1234", "too common"},
		{"123456789012", "run"},
		{"kim.ortega!2026", "email"},
	} {
		code, _, stderr := run(t, env, tc.password+"\n", "user", "add", "--email", "kim.ortega@example.org", "--role", "agent", "--password-file", "-")
		if code != 2 || !strings.Contains(stderr, tc.why) {
			t.Errorf("user add with %q: exit %d, stderr %q; want exit 2 saying %q", tc.password, code, stderr, tc.why)
		}
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(context.Background(), "kim.ortega@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a user was stored with a weak password (err %v)", err)
	}
}

func TestServeSignInSettingsRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--session-max-age", "0s"}, nil, "--session-max-age"},
		{[]string{"--session-max-age", "soon"}, nil, "session-max-age"},
		{nil, map[string]string{"EARSHOT_SESSION_MAX_AGE": "30s"}, "EARSHOT_SESSION_MAX_AGE"},
		{[]string{"--signin-slots", "0"}, nil, "--signin-slots"},
		{[]string{"--trusted-proxies", "10.0.0.0/8,proxy.example"}, nil, "proxy.example"},
	} {
		code, _, stderr := run(t, tc.env, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %q %v: exit %d, stderr %q; want exit 2 naming %s", tc.args, tc.env, code, stderr, tc.want)
		}
	}
}
