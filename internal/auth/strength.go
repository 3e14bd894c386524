package auth

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password length bounds: NIST SP 800-63B asks for at least 8 and
// advises longer; a sign-in form takes at most 1024 bytes.
const (
	MinPasswordLen   = 12
	MaxPasswordBytes = 1024
)

// ErrWeakPassword is wrapped by every refusal of CheckStrength.
var ErrWeakPassword = errors.New("weak password")

// weakError says why a password is refused, such as "the password is
// only spaces".
type weakError struct{ why string }

func (e *weakError) Error() string { return "the password " + e.why }
func (e *weakError) Unwrap() error { return ErrWeakPassword }

// commonPasswordsFile holds common and breached passwords and the words
// they are built from, one a line, lower case; # starts a comment.
//
//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the set of commonPasswordsFile, read once.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 4096)
	for line := range strings.Lines(commonPasswordsFile) {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			set[strings.ToLower(w)] = struct{}{}
		}
	}
	return set
})

// CheckStrength refuses a password that is too short or too long, only
// white space, a repeated pattern ("aaaa…", "abab…"), a run such as
// "123456789012" or "abcdefghijkl", a common or breached password (or
// one of their words with a few digits or symbols around it, or written
// with digits for letters: "P@ssw0rd1234"), or one of personal (such as
// the user's email), its local part, or either with digits or symbols
// around it. The error names the reason and
// wraps ErrWeakPassword.
func CheckStrength(password string, personal ...string) error {
	weak := func(why string) error { return &weakError{why} }
	switch n := utf8.RuneCountInString(password); {
	case !utf8.ValidString(password):
		return weak("is not valid UTF-8 text")
	case n < MinPasswordLen:
		return weak(fmt.Sprintf("must be at least %d characters (it has %d)", MinPasswordLen, n))
	case len(password) > MaxPasswordBytes:
		return weak(fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes))
	case strings.TrimFunc(password, unicode.IsSpace) == "":
		return weak("is only spaces")
	}
	lower := strings.ToLower(password)
	switch {
	case isRepeat(lower):
		return weak("repeats one character or a short pattern")
	case isRun(lower):
		return weak("is a run of consecutive characters, such as 123456 or abcdef")
	}
	core, affix := trimAffixes(lower)
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		local, _, _ := strings.Cut(p, "@")
		if p != "" && (lower == p || lower == local || core == p || core == local) {
			return weak("is your email address or its name part")
		}
	}
	if isCommon(lower) || (trivialAffix(affix) && (isCommon(core) || isCommon(unLeet(core)))) {
		return weak("is too common: it is on a list of passwords that attackers try first")
	}
	return nil
}

// isCommon reports whether w is on the list.
func isCommon(w string) bool {
	_, ok := commonPasswords()[w]
	return ok
}

// isRepeat reports whether s is a shorter string written again and
// again, such as "aaaaaaaaaaaa" or "abcabcabcabc".
func isRepeat(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= len(r)/2; unit++ {
		if len(r)%unit != 0 {
			continue
		}
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i-unit]
		}
		if same {
			return true
		}
	}
	return false
}

// isRun reports whether every character of s follows the one before it
// by one, all up or all down, digits wrapping from 9 to 0: "123456789012",
// "abcdefghijkl", "987654321098".
func isRun(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return false
	}
	step := func(a, b rune) int {
		switch {
		case b == a+1 || (a == '9' && b == '0'):
			return 1
		case b == a-1 || (a == '0' && b == '9'):
			return -1
		}
		return 0
	}
	dir := step(r[0], r[1])
	if dir == 0 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if step(r[i-1], r[i]) != dir {
			return false
		}
	}
	return true
}

// trimAffixes splits s into its core and the digits, symbols and spaces
// around it: "!!password1234" is "password" and "!!1234".
func trimAffixes(s string) (core, affix string) {
	notWord := func(r rune) bool { return !unicode.IsLetter(r) }
	core = strings.TrimFunc(s, notWord)
	if core == "" {
		return s, ""
	}
	i := strings.Index(s, core)
	return core, s[:i] + s[i+len(core):]
}

// trivialAffix reports whether digits or symbols added around a word
// leave it as easy to guess: four characters or fewer, or a repeat or
// a run ("123456", "!!!!!!").
func trivialAffix(a string) bool {
	return utf8.RuneCountInString(a) <= 4 || isRepeat(a) || isRun(a)
}

// leet undoes the usual digits and symbols for letters.
var leet = strings.NewReplacer("@", "a", "4", "a", "3", "e", "1", "i", "!", "i", "0", "o", "$", "s", "5", "s", "7", "t", "+", "t")

// unLeet returns s with digits and symbols read as the letters they
// stand for, and then without the non-letters left around it.
func unLeet(s string) string {
	core, _ := trimAffixes(leet.Replace(s))
	return core
}
