package cli

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/store"
)

func TestTokenListAndRevoke(t *testing.T) {
	env, cfg := storeEnv(t)
	code, out, stderr := run(t, env, "", "token", "create", "--name", "crm", "--role", "integration")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	secret := strings.TrimSpace(out)
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	tok, err := st.TokenByHash(ctx, auth.HashToken(secret))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TouchToken(ctx, tok.ID, time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}

	code, out, stderr = run(t, env, "", "token", "list")
	if code != 0 || !regexp.MustCompile(`(?m)^1\s+crm\s+integration\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+2026-03-04 05:06Z\s+-$`).MatchString(out) {
		t.Fatalf("token list: %d %q %q", code, out, stderr)
	}
	if strings.Contains(out, secret) {
		t.Fatal("token list shows a secret")
	}

	if code, out, stderr := run(t, env, "", "token", "revoke", "1"); code != 0 || !strings.Contains(out, "token 1 revoked") {
		t.Fatalf("token revoke: %d %q %q", code, out, stderr)
	}
	if _, err := st.TokenByHash(ctx, auth.HashToken(secret)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a revoked token is still found: %v", err)
	}
	if _, out, _ := run(t, env, "", "token", "list"); !regexp.MustCompile(`(?m)^1\s+crm.*\d\d:\d\dZ$`).MatchString(out) {
		t.Fatalf("token list does not show when it was revoked: %q", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"token", "revoke", "1"}, 1, "already revoked"},
		{[]string{"token", "revoke", "99"}, 1, "not found"},
		{[]string{"token", "revoke", "x"}, 2, "token id must be a whole number"},
		{[]string{"token", "revoke"}, 2, "one token id"},
		{[]string{"token", "delete"}, 2, `unknown subcommand "delete"`},
		{[]string{"token", "create", "--name", "x", "--role", "king"}, 2, "--role: role must be one of"},
	} {
		if code, _, stderr := run(t, env, "", tt.args...); code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("earshot %q: exit %d %q, want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	events, err := st.AccountEvents(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != store.AccountTokenRevoked || events[1].Action != store.AccountTokenCreated ||
		events[0].Subject != "token 1 (crm)" || !strings.HasPrefix(events[0].Actor, "cli") {
		t.Fatalf("account trail %+v", events)
	}
}

func TestUserLifecycleCommands(t *testing.T) {
	env, cfg := storeEnv(t)
	env["USER"] = "ops"
	for _, args := range [][]string{
		{"user", "add", "--email", "boss@example.org", "--role", "admin"},
		{"user", "add", "--email", "Ann@Example.org", "--role", "agent", "--name", "Ann Lee"},
	} {
		if code, _, stderr := run(t, env, "", args...); code != 0 {
			t.Fatalf("%q: %d %s", args, code, stderr)
		}
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ann, err := st.UserByEmail(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	se := store.Session{Hash: []byte("ann-browser"), UserID: ann.ID, CreatedAt: time.Now(), LastSeenAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := st.CreateSession(ctx, se); err != nil {
		t.Fatal(err)
	}

	if code, out, _ := run(t, env, "", "user", "set-role", "--email", "ANN@example.org", "--role", "supervisor"); code != 0 || out != "user ann@example.org is now supervisor\n" {
		t.Fatalf("set-role: %d %q", code, out)
	}
	if code, out, _ := run(t, env, "", "user", "deactivate", "--email", "ann@example.org"); code != 0 || !strings.Contains(out, "deactivated") {
		t.Fatalf("deactivate: %d %q", code, out)
	}
	if _, _, err := st.SessionUser(ctx, se.Hash, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a deactivated person's session still works: %v", err)
	}
	code, out, _ := run(t, env, "", "user", "list")
	if code != 0 || !regexp.MustCompile(`(?m)^\d+\s+ann@example.org\s+Ann Lee\s+supervisor\s+deactivated \d{4}-`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^\d+\s+boss@example.org\s+admin\s+active\s`).MatchString(out) {
		t.Fatalf("user list: %d %q", code, out)
	}
	if code, out, _ := run(t, env, "", "user", "reactivate", "--email", "ann@example.org"); code != 0 || !strings.Contains(out, "reactivated") {
		t.Fatalf("reactivate: %d %q", code, out)
	}

	if err := st.CreateSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, env, "", "user", "reset-password", "--email", "ann@example.org")
	m := regexp.MustCompile(`(?m)^password: (\S{16,})$`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("reset-password prints no one-time password: %d %q", code, out)
	}
	if ann, _ = st.UserByEmail(ctx, "ann@example.org"); !checkPassword(ann.PasswordHash, m[1]) {
		t.Fatal("the printed password does not sign in")
	}
	if _, _, err := st.SessionUser(ctx, se.Hash, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("reset-password left a session: %v", err)
	}
	code, out, _ = run(t, env, "a brand new password\n", "user", "reset-password", "--email", "ann@example.org", "--password-file", "-")
	if ann, _ = st.UserByEmail(ctx, "ann@example.org"); code != 0 || strings.Contains(out, "password:") || !checkPassword(ann.PasswordHash, "a brand new password") {
		t.Fatalf("reset-password from a file: %d %q", code, out)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"user", "deactivate", "--email", "boss@example.org"}, 1, "last active admin"},
		{[]string{"user", "set-role", "--email", "boss@example.org", "--role", "agent"}, 1, "last active admin"},
		{[]string{"user", "set-role", "--email", "ann@example.org", "--role", "integration"}, 2, "--role: role must be one of admin, supervisor, agent, viewer"},
		{[]string{"user", "set-role", "--email", "ann@example.org"}, 2, "--role: role is required"},
		{[]string{"user", "deactivate", "--email", "who@example.org"}, 1, "no user has the email who@example.org"},
		{[]string{"user", "deactivate"}, 2, "--email: email is required"},
		{[]string{"user", "reset-password", "--email", "ann@example.org", "--password-file", "-"}, 2, "is empty"},
		{[]string{"user", "remove"}, 2, `unknown subcommand "remove"`},
	} {
		if code, _, stderr := run(t, env, "", tt.args...); code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("earshot %q: exit %d %q, want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	if boss, _ := st.UserByEmail(ctx, "boss@example.org"); boss.Role != "admin" || !boss.Active() {
		t.Fatalf("the last admin was changed: %+v", boss)
	}
	events, err := st.AccountEvents(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		if e.Actor != "cli:ops" {
			t.Fatalf("account event by %q", e.Actor)
		}
		actions = append(actions, e.Action)
	}
	want := "password_reset password_reset user_reactivated user_deactivated role_changed user_created user_created"
	if strings.Join(actions, " ") != want {
		t.Fatalf("account trail %q, want %q", actions, want)
	}
}

func TestUserAndTokenHelp(t *testing.T) {
	for _, args := range [][]string{
		{"help", "user"}, {"help", "token"},
		{"user", "list", "-h"}, {"user", "set-role", "-h"}, {"user", "deactivate", "-h"}, {"user", "reactivate", "-h"}, {"user", "reset-password", "-h"},
		{"token", "list", "-h"}, {"token", "revoke", "-h"}, {"token", "create", "-h"},
	} {
		var words []string
		for _, a := range args {
			if a != "help" && a != "-h" {
				words = append(words, a)
			}
		}
		code, stdout, stderr := run(t, nil, "", args...)
		if want := "usage: earshot " + strings.Join(words, " ") + " "; code != 0 || !strings.Contains(stdout+stderr, want) {
			t.Errorf("earshot %q: exit %d, %q, want %q", args, code, stdout+stderr, want)
		}
	}
	_, stdout, _ := run(t, nil, "", "help", "user")
	for _, sub := range []string{"add", "list", "set-role", "deactivate", "reactivate", "reset-password"} {
		if !strings.Contains(stdout, "  "+sub+" ") {
			t.Errorf("earshot help user does not list %s: %q", sub, stdout)
		}
	}
	_, stdout, _ = run(t, nil, "", "help")
	if !strings.Contains(stdout, "token create|list|revoke") || !strings.Contains(stdout, "reset-password") {
		t.Errorf("earshot help does not name the new subcommands: %q", stdout)
	}
}

func checkPassword(hash, password string) bool {
	ok, _ := auth.CheckPassword(hash, password)
	return ok
}
