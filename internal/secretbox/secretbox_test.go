package secretbox_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"earshot/internal/secretbox"
)

func newKey(t *testing.T) (*secretbox.Key, []byte) {
	t.Helper()
	raw := make([]byte, secretbox.KeySize)
	rand.Read(raw)
	k, err := secretbox.NewKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k, raw
}

func TestSealOpenRoundTrip(t *testing.T) {
	k, _ := newKey(t)
	secret := []byte("refresh-token-abc123")
	a, err := k.Seal(secret, "channel:x1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := k.Seal(secret, "channel:x1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(a, secret) || bytes.Equal(a, b) {
		t.Fatalf("boxes show the secret or repeat: %x %x", a, b)
	}
	for _, box := range [][]byte{a, b} {
		got, err := k.Open(box, "channel:x1")
		if err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("open = %q, %v", got, err)
		}
	}
}

func TestOpenRefusesWrongKeyPurposeOrChange(t *testing.T) {
	k, _ := newKey(t)
	other, _ := newKey(t)
	box, err := k.Seal([]byte("s3cret"), "channel:a")
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(box)
	changed[len(changed)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"wrong key":     func() ([]byte, error) { return other.Open(box, "channel:a") },
		"wrong purpose": func() ([]byte, error) { return k.Open(box, "channel:b") },
		"changed":       func() ([]byte, error) { return k.Open(changed, "channel:a") },
		"short":         func() ([]byte, error) { return k.Open(box[:10], "channel:a") },
		"empty":         func() ([]byte, error) { return k.Open(nil, "channel:a") },
	} {
		if got, err := open(); !errors.Is(err, secretbox.ErrOpen) || got != nil {
			t.Errorf("%s: %q, %v; want ErrOpen", name, got, err)
		}
	}
}

func TestParseKeySpellings(t *testing.T) {
	raw := make([]byte, secretbox.KeySize)
	rand.Read(raw)
	ref, _ := secretbox.NewKey(raw)
	box, _ := ref.Seal([]byte("x"), "p")
	for _, s := range []string{
		hex.EncodeToString(raw),
		strings.ToUpper(hex.EncodeToString(raw)),
		base64.StdEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw),
		" " + base64.StdEncoding.EncodeToString(raw) + "\n",
	} {
		k, err := secretbox.ParseKey(s)
		if err != nil {
			t.Fatalf("ParseKey(%q): %v", s, err)
		}
		if got, err := k.Open(box, "p"); err != nil || string(got) != "x" {
			t.Errorf("key from %q opens %q, %v", s, got, err)
		}
	}
}

func TestParseKeyRefusesWithoutRepeatingIt(t *testing.T) {
	for _, s := range []string{"", "   ", "tooshort-secret-value", hex.EncodeToString(make([]byte, 31)), base64.StdEncoding.EncodeToString(make([]byte, 33)), strings.Repeat("zz", 32)} {
		k, err := secretbox.ParseKey(s)
		if err == nil || k != nil {
			t.Errorf("ParseKey(%q) = %v, %v; want an error", s, k, err)
			continue
		}
		if strings.TrimSpace(s) != "" && strings.Contains(err.Error(), strings.TrimSpace(s)) {
			t.Errorf("error repeats the key: %v", err)
		}
	}
}

func TestKeyNeverPrints(t *testing.T) {
	k, raw := newKey(t)
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(f, k)
		if strings.Contains(out, hex.EncodeToString(raw)) || !strings.Contains(out, "hidden") {
			t.Errorf("%s prints %q", f, out)
		}
	}
}
