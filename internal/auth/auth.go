// Package auth holds Earshot's credentials and permissions: API tokens
// (random secrets stored as SHA-256 hashes), passwords (argon2id) and
// what each role may do.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"earshot/internal/model"
)

// tokenPrefix marks Earshot API tokens so that secret scanners and people
// recognise them.
const tokenPrefix = "es_"

// NewToken returns a new random API token secret and the hash to store.
func NewToken() (secret string, hash []byte) {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return short)
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a token secret. Tokens carry 256
// random bits, so a fast hash is enough to make a stolen table useless.
func HashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// argon2id parameters (RFC 9106's second recommended option, with less
// memory for small machines).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// PasswordMemory is the memory in bytes that one password hash or check
// holds while it runs: what bounds how many may run at once.
const PasswordMemory = argonMemory << 10

// HashPassword returns an argon2id hash of password in the PHC string
// form. It refuses a weak password (see CheckStrength; personal holds
// what the password must not be, such as the user's email), so that
// every door that sets a password keeps the same rule.
func HashPassword(password string, personal ...string) (string, error) {
	if err := CheckStrength(password, personal...); err != nil {
		return "", err
	}
	var salt [16]byte
	rand.Read(salt[:])
	key := argon2.IDKey([]byte(password), salt[:], argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt[:]), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches an argon2id hash made by
// HashPassword.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unsupported password hash")
	}
	var version int
	var mem, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &threads); err != nil {
		return false, fmt.Errorf("password hash parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("password hash key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NewPassword returns a random password for a first sign-in.
func NewPassword() string {
	var b [15]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Action is something a role may be allowed to do.
type Action int

// Actions checked by the API and the web app.
const (
	Ingest       Action = iota // send mentions in
	ReadCases                  // list and read cases
	WorkCases                  // reply, note, assign, change status, add tasks
	ReadReports                // see reports
	Administer                 // users, tokens, organisation settings
	ReadSettings               // read the organisation file (admins and supervisors)
	// ReadPHI is reading health information and member identifiers
	// unmasked: roles that work cases need them; the others read them
	// masked (see package redact).
	ReadPHI
	// ApproveReplies is approving or rejecting replies awaiting
	// approval (admins and supervisors).
	ApproveReplies
)

// Can reports whether role may take action.
func Can(role string, a Action) bool {
	switch role {
	case model.RoleAdmin:
		return true
	case model.RoleSupervisor:
		return a != Administer
	case model.RoleAgent:
		return a == ReadCases || a == WorkCases || a == ReadReports || a == ReadPHI
	case model.RoleViewer:
		return a == ReadCases || a == ReadReports
	case model.RoleIntegration:
		return a == Ingest
	}
	return false
}
