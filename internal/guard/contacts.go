package guard

import (
	"slices"
	"strings"
	"unicode"
)

// inLink reports whether byte offset off of text is inside a web
// address or a handle: the run of non-space characters around it holds
// "://", "www.", a "/" after a ".", or starts with "@".
func inLink(text string, off int) bool {
	s := strings.LastIndexAny(text[:off], " \t\n") + 1
	e := strings.IndexAny(text[off:], " \t\n")
	if e < 0 {
		e = len(text)
	} else {
		e += off
	}
	tok := text[s:e]
	if strings.HasPrefix(tok, "@") || strings.HasPrefix(tok, "(@") || strings.Contains(tok, "://") || strings.Contains(strings.ToLower(tok), "www.") {
		return true
	}
	dot := strings.IndexByte(tok, '.')
	return dot > 0 && strings.IndexByte(tok[dot:], '/') > 0 && unicode.IsLetter(rune(tok[dot+1]))
}

// tollFree are the North American toll-free prefixes: a business's
// number, never a person's.
var tollFree = []string{"800", "888", "877", "866", "855", "844", "833"}

// businessPrefixes start numbers that only businesses have: freephone
// and non-geographic numbers in the UK (0800, 0808, 03..) and Australia
// (1300, 1800), written with their leading digits.
var businessPrefixes = []string{"0800", "0808", "0300", "0330", "0333", "0343", "0344", "0345", "0370", "0371", "1300", "1800", "13"}

// ownPhone reports whether phone is the organisation's: too short to be
// a person's number (a thread counter, a short code) or ownNumber.
func ownPhone(phone string, c Contacts) bool {
	return len(digits(phone)) < 7 || ownNumber(phone, c)
}

// ownNumber reports whether a number of seven digits or more is one of
// the organisation's phones or a business number (see ownPhone).
func ownNumber(phone string, c Contacts) bool {
	d := digits(phone)
	if len(d) < 7 {
		return false
	}
	for _, p := range c.Phones {
		if pd := digits(p); len(pd) >= 7 && lastN(pd, 10) == lastN(d, 10) {
			return true
		}
	}
	n := d
	if len(n) == 11 && n[0] == '1' {
		n = n[1:]
	}
	if len(n) == 10 && slices.Contains(tollFree, n[:3]) {
		return true
	}
	for _, p := range businessPrefixes {
		// "13" alone is Australia's six-digit business numbers.
		if strings.HasPrefix(d, p) && (p != "13" || len(d) == 6) {
			return true
		}
	}
	return false
}

// ownEmail reports whether an address is the organisation's: one of its
// contacts, at the domain of one of its addresses or web addresses, or a
// team's address (support@, care@, ...).
func ownEmail(addr string, c Contacts) bool {
	addr = strings.ToLower(addr)
	local, domain, _ := strings.Cut(addr, "@")
	if roleMail[local] {
		return true
	}
	for _, e := range c.Emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == addr {
			return true
		}
		if _, d, ok := strings.Cut(e, "@"); ok && d == domain && !freeMail[d] {
			return true
		}
	}
	for _, l := range c.Links {
		if host := linkHost(l); host != "" && host == domain && !freeMail[domain] {
			return true
		}
	}
	return false
}

// freeMail are domains anyone can have an address at; sharing one with
// the organisation's address says nothing.
var freeMail = map[string]bool{"gmail.com": true, "yahoo.com": true, "hotmail.com": true, "outlook.com": true, "aol.com": true, "icloud.com": true, "proton.me": true, "protonmail.com": true, "live.com": true, "msn.com": true}

// linkHost is the lower-case host of a web address, without "www.".
func linkHost(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if _, rest, ok := strings.Cut(l, "://"); ok {
		l = rest
	}
	l, _, _ = strings.Cut(l, "/")
	return strings.TrimPrefix(l, "www.")
}

// digits returns the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// lastN is the last n bytes of s, or s.
func lastN(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// offered reports whether the phone or email address at byte offset off
// is given as the organisation's own. An address counts when earlier in
// its sentence a word asks the reader to get in touch ("email", "write
// to", "escríbanos") and it is not at a free mail domain; a number only
// when the sentence names one of our teams or places before it ("our UK
// team is on ...", "our main number is"), since "call us back at" may
// give a person's number. Words just before it that make it the
// reader's ("call you at", "your number") rule both out.
func (r *reading) offered(off int, email bool) bool {
	i := r.wordAt(off)
	if i < 0 {
		return false
	}
	if email {
		_, d, _ := strings.Cut(strings.ToLower(r.text[off:]), "@")
		d, _, _ = strings.Cut(d, " ")
		if freeMail[strings.TrimRight(d, ".,;:)!?")] {
			return false
		}
	}
	j := i - 1
	for j >= 0 && r.sent[j] == r.sent[i] && reachLinks[r.ws[j].w] {
		j--
	}
	if j >= 0 && r.sent[j] == r.sent[i] && theirs[r.ws[j].w] {
		return false
	}
	// "the hospital's main number is ...": a switchboard's.
	if j >= 0 && r.sent[j] == r.sent[i] && mainLine[r.ws[j].w] {
		return true
	}
	for k := i - 1; k >= 0 && k >= i-3 && r.sent[k] == r.sent[i]; k-- {
		if r.ws[k].w == "your" {
			return false
		}
	}
	for k := i - 1; k >= 0 && r.sent[k] == r.sent[i]; k-- {
		w := r.ws[k].w
		if email && reachWords[w] {
			return true
		}
		if (w == "our" || w == "nuestro" || w == "nuestra") && k+3 < len(r.ws) {
			for _, n := range r.ws[k+1 : min(k+4, i)] {
				if orgNouns[n.w] {
					return true
				}
			}
		}
	}
	return false
}

// reachLinks stand between a way to get in touch and the number or
// address ("call us at", "write to").
var reachLinks = map[string]bool{"at": true, "on": true, "to": true, "is": true, "al": true, "a": true, "en": true, "es": true, "via": true, "or": true, "o": true, "number": true, "line": true, "us": true, "nos": true}

// mainLine, just before "number" or "line", names an organisation's
// number ("main number", "general line", "switchboard").
var mainLine = map[string]bool{"main": true, "general": true, "switchboard": true, "helpline": true, "hotline": true, "toll-free": true, "principal": true}

// theirs are words that, just before a number, make it someone else's.
var theirs = map[string]bool{"you": true, "him": true, "her": true, "them": true, "le": true, "lo": true, "la": true}

// reachWords ask the reader to get in touch by email, or speak of us.
var reachWords = map[string]bool{
	"reach": true, "email": true, "e-mail": true, "write": true, "contact": true, "message": true, "send": true,
	"our": true, "we": true, "us": true, "go": true,
	"escriba": true, "escribanos": true, "escribirnos": true, "escribir": true, "contacte": true, "contactenos": true,
	"nuestro": true, "nuestra": true, "nuestros": true,
}

// orgNouns after "our" name one of the organisation's teams, places or
// lines ("our Paris desk", "our main number").
var orgNouns = map[string]bool{
	"team": true, "office": true, "desk": true, "store": true, "shop": true, "branch": true, "line": true,
	"number": true, "helpline": true, "hotline": true, "centre": true, "center": true, "headquarters": true,
	"hq": true, "switchboard": true, "reception": true, "department": true, "support": true, "staff": true,
	"equipo": true, "oficina": true, "tienda": true, "sucursal": true, "numero": true, "linea": true, "telefono": true,
}
