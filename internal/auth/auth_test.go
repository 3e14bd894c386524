package auth

import (
	"bytes"
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestTokens(t *testing.T) {
	s1, h1 := NewToken()
	s2, h2 := NewToken()
	if s1 == s2 || bytes.Equal(h1, h2) {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(s1, "es_") || len(s1) < 40 {
		t.Fatalf("token %q too short or unprefixed", s1)
	}
	if !bytes.Equal(HashToken(s1), h1) || bytes.Equal(HashToken(s1+"x"), h1) {
		t.Fatal("HashToken does not match NewToken's hash")
	}
}

func TestPasswords(t *testing.T) {
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("short password accepted")
	}
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("same hash twice: salt not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		ok, err := CheckPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("foreign hash accepted")
	}
	if len(NewPassword()) < 16 {
		t.Fatal("generated password too short")
	}
}

func TestCan(t *testing.T) {
	for _, tc := range []struct {
		role string
		a    Action
		want bool
	}{
		{model.RoleAdmin, Administer, true},
		{model.RoleSupervisor, WorkCases, true},
		{model.RoleSupervisor, Administer, false},
		{model.RoleAgent, WorkCases, true},
		{model.RoleAgent, Ingest, false},
		{model.RoleViewer, ReadCases, true},
		{model.RoleViewer, WorkCases, false},
		{model.RoleAdmin, ReadPHI, true},
		{model.RoleSupervisor, ReadPHI, true},
		{model.RoleAgent, ReadPHI, true},
		{model.RoleViewer, ReadPHI, false},
		{model.RoleIntegration, ReadPHI, false},
		{model.RoleIntegration, Ingest, true},
		{model.RoleIntegration, ReadCases, false},
		{"", ReadCases, false},
	} {
		if got := Can(tc.role, tc.a); got != tc.want {
			t.Errorf("Can(%q, %d) = %v, want %v", tc.role, tc.a, got, tc.want)
		}
	}
}
