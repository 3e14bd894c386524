// Package secretbox seals small secrets (a rotated refresh token) for
// keeping in the store: AES-256-GCM with a random nonce on every seal and
// a key the operator gives in the environment, so that the database alone
// never reveals them.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// version is the first byte of every sealed box, so that a later format
// can be told apart.
const version = 1

// ErrOpen is the error of a box that the key cannot open: it was sealed
// with another key, for another purpose, or changed since.
var ErrOpen = errors.New("cannot decrypt: it was sealed with another key or changed since")

// Key is a secret key. It never prints itself.
type Key struct {
	aead cipher.AEAD
}

// ParseKey reads a key as the operator writes it: 64 hexadecimal digits,
// or 32 bytes in base64 (standard or URL alphabet, padded or not).
// Its errors never repeat the value.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("the key is empty")
	}
	raw, ok := decodeKey(s)
	if !ok {
		return nil, fmt.Errorf("the key must be %d bytes written as 64 hexadecimal digits or in base64", KeySize)
	}
	return NewKey(raw)
}

// decodeKey tries the spellings ParseKey takes, and returns KeySize bytes.
func decodeKey(s string) ([]byte, bool) {
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, true
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, true
		}
	}
	return nil, false
}

// NewKey makes a key of KeySize raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("the key must be %d bytes, not %d", KeySize, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	return &Key{aead: aead}, nil
}

// String hides the key from %v and %s.
func (k *Key) String() string { return "secretbox.Key(hidden)" }

// GoString hides the key from %#v.
func (k *Key) GoString() string { return k.String() }

// Seal encrypts plaintext with a fresh random nonce. purpose (such as the
// channel the secret belongs to) is authenticated, not stored: Open must
// be given the same, so that a box cannot be moved to another row.
func (k *Key) Seal(plaintext []byte, purpose string) ([]byte, error) {
	n := k.aead.NonceSize()
	box := make([]byte, 1+n, 1+n+len(plaintext)+k.aead.Overhead())
	box[0] = version
	if _, err := rand.Read(box[1:]); err != nil {
		return nil, fmt.Errorf("seal: read random nonce: %w", err)
	}
	return k.aead.Seal(box, box[1:], plaintext, []byte(purpose)), nil
}

// Open decrypts a box Seal made for the same purpose; any other box is
// ErrOpen.
func (k *Key) Open(box []byte, purpose string) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(box) < 1+n+k.aead.Overhead() || box[0] != version {
		return nil, ErrOpen
	}
	plain, err := k.aead.Open(nil, box[1:1+n], box[1+n:], []byte(purpose))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
