package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckStrength(t *testing.T) {
	for _, tc := range []struct {
		password string
		personal []string
		why      string // a word of the refusal; "" when accepted
	}{
		{"            ", nil, "only spaces"},
		{"\t\t\t\t  \n\n\n\n  ", nil, "only spaces"},
		{"aaaaaaaaaaaa", nil, "repeats"},
		{"abababababab", nil, "repeats"},
		{"abcabcabcabc", nil, "repeats"},
		{"123456789012", nil, "run"},
		{"abcdefghijkl", nil, "run"},
		{"ZYXWVUTSRQPO", nil, "run"},
		{"password1234", nil, "common"},
		{"Password1234", nil, "common"},
		{"P@ssw0rd1234", nil, "common"},
		{"!!password!!", nil, "common"},
		{"qwertyuiop12", nil, "common"},
		{"1qaz2wsx3edc", nil, "common"},
		{"iloveyou1234", nil, "common"},
		{"football123456789", nil, "common"},
		{"welcome!!!!!!!!", nil, "common"},
		{"jane.doe@example.org", []string{"Jane.Doe@example.org"}, "email"},
		{"jane.doe2024", []string{"jane.doe@example.org"}, "email"},
		{"short", nil, "at least 12"},
		{"ééééééé", nil, "at least 12"},
		{strings.Repeat("x", 600) + strings.Repeat("y", 600), nil, "at most"},
		{"correct horse battery", nil, ""},
		{"a new long password", nil, ""},
		{"Welcome2024-Blue-Ridge", nil, ""},
		{"dragon839201fish", nil, ""},
		{"jane.doe@example.org", nil, ""},
		{NewPassword(), []string{"admin@earshot.local"}, ""},
	} {
		err := CheckStrength(tc.password, tc.personal...)
		switch {
		case tc.why == "" && err != nil:
			t.Errorf("CheckStrength(%q) = %v, want it accepted", tc.password, err)
		case tc.why != "" && (err == nil || !errors.Is(err, ErrWeakPassword) || !strings.Contains(err.Error(), tc.why)):
			t.Errorf("CheckStrength(%q) = %v, want a weak-password error saying %q", tc.password, err, tc.why)
		}
	}
}

func TestHashPasswordRefusesWeak(t *testing.T) {
	for _, pw := range []string{"            ", "aaaaaaaaaaaa", "password1234"} {
		if _, err := HashPassword(pw); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("HashPassword(%q) = %v, want ErrWeakPassword", pw, err)
		}
	}
	if _, err := HashPassword("sam.lee!2026", "sam.lee@example.org"); err == nil {
		t.Error("HashPassword accepted the email's name part")
	}
}

func TestCommonPasswordsLoad(t *testing.T) {
	set := commonPasswords()
	if len(set) < 1500 {
		t.Fatalf("%d common passwords loaded, want the whole list", len(set))
	}
	for w := range set {
		if w != strings.ToLower(strings.TrimSpace(w)) || strings.HasPrefix(w, "#") {
			t.Fatalf("entry %q is not a lower-case word", w)
		}
	}
}
