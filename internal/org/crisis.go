package org

import (
	"fmt"
	"net/url"
	"strings"
)

// Contact is the organisation's own phones, email addresses and web
// addresses. Replies give them in public ("call us at +1 512-555-0100"),
// so the privacy guard never takes them for a member's details.
type Contact struct {
	Phones List `yaml:"phones,omitempty" json:"phones,omitempty"`
	Emails List `yaml:"emails,omitempty" json:"emails,omitempty"`
	// Web are web addresses, with or without https:// ("lonestar.example/flu").
	Web List `yaml:"web,omitempty" json:"web,omitempty"`
}

// Crisis is the crisis protocol: what agents do on a case of critical
// urgency (a person at risk now). The case page shows it at the top of
// such a case.
type Crisis struct {
	// Call are the people to reach at once, each by phone or email.
	Call []CrisisContact `yaml:"call,omitempty" json:"call,omitempty"`
	// Steps are what to do, in order, in the agent's words.
	Steps []string `yaml:"steps,omitempty" json:"steps,omitempty"`
	// PublicReply is the one public reply that may go on such a case
	// whatever it says; any other public reply that discusses the
	// crisis is refused (cases.RefusedCrisis).
	PublicReply string `yaml:"public_reply,omitempty" json:"public_reply,omitempty"`
}

// CrisisContact is someone to call or write to in a crisis.
type CrisisContact struct {
	Name  string `yaml:"name" json:"name"`
	Phone string `yaml:"phone,omitempty" json:"phone,omitempty"`
	Email string `yaml:"email,omitempty" json:"email,omitempty"`
}

// maxPublicReplyBytes is a reply's limit (model.MaxReplyBytes).
const maxPublicReplyBytes = 10000

// contact checks the contact block.
func (v *validator) contact(c *Contact) {
	if c == nil {
		return
	}
	seen := map[string]bool{}
	once := func(p path, kind, s string) {
		k := kind + "\x00" + strings.ToLower(s)
		if seen[k] {
			v.fail(p, "%s %q is listed twice", kind, s)
		}
		seen[k] = true
	}
	for _, l := range []struct {
		field, kind string
		items       List
		problem     func(string) string
		key         func(string) string
	}{
		{"phones", "phone", c.Phones, phoneProblem, func(s string) string { return strings.Join(strings.Fields(s), " ") }},
		{"emails", "email", c.Emails, emailProblem, nil},
		{"web", "web address", c.Web, webProblem, nil},
	} {
		for i, s := range l.items {
			p := path{"contact", l.field, i}
			if msg := l.problem(s); msg != "" {
				v.fail(p, "%s", msg)
				continue
			}
			if l.key != nil {
				s = l.key(s)
			}
			once(p, l.kind, s)
		}
	}
}

// crisis checks the crisis protocol.
func (v *validator) crisis(c *Crisis) {
	if c == nil {
		return
	}
	for i, who := range c.Call {
		p := path{"crisis", "call", i}
		if strings.TrimSpace(who.Name) == "" {
			v.fail(append(p, "name"), "name is missing: who the agent calls (such as Nurse line supervisor)")
		}
		if who.Phone == "" && who.Email == "" {
			v.fail(p, "give a phone or an email to reach %s", strings.TrimSpace(who.Name))
		}
		if who.Phone != "" {
			if msg := phoneProblem(who.Phone); msg != "" {
				v.fail(append(p, "phone"), "%s", msg)
			}
		}
		if who.Email != "" {
			if msg := emailProblem(who.Email); msg != "" {
				v.fail(append(p, "email"), "%s", msg)
			}
		}
	}
	for i, s := range c.Steps {
		if strings.TrimSpace(s) == "" {
			v.fail(path{"crisis", "steps", i}, "empty step")
		}
	}
	switch r := c.PublicReply; {
	case r != "" && strings.TrimSpace(r) == "":
		v.fail(path{"crisis", "public_reply"}, "public_reply is blank; write the reply or leave it out")
	case len(r) > maxPublicReplyBytes:
		v.fail(path{"crisis", "public_reply"}, "public_reply is longer than a reply may be (%d bytes)", maxPublicReplyBytes)
	case strings.Contains(r, "{") && strings.Contains(r, "}"):
		// A template variable would go out as it is: the guard refuses
		// it, and the protocol's reply could never be sent.
		v.fail(path{"crisis", "public_reply"}, "public_reply is sent as it is: it may not hold template variables like {first_name}")
	}
	if len(c.Call) == 0 && len(c.Steps) == 0 && c.PublicReply == "" {
		v.fail(path{"crisis"}, "the crisis protocol is empty: give call, steps or public_reply")
	}
}

// phoneProblem says what is wrong with a phone number, or "" when it is
// one: digits (3 to 15 of them, so 911 and 988 too) with an optional
// leading +, spaces, dashes, dots and parentheses.
func phoneProblem(s string) string {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return fmt.Sprintf("phone %q: want digits with an optional leading +, spaces, dashes, dots or parentheses, such as +1 512-555-0100", s)
		}
	}
	if digits < 3 || digits > 15 {
		return fmt.Sprintf("phone %q: want 3 to 15 digits, such as +1 512-555-0100 or 988", s)
	}
	return ""
}

// emailProblem says what is wrong with an email address, or "".
func emailProblem(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(s, " \t<>,;\"") ||
		strings.Contains(domain, "@") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return fmt.Sprintf("email %q: want an address such as care@example.org", s)
	}
	return ""
}

// webProblem says what is wrong with a web address, or "": an http or
// https URL, or a host name with an optional path ("example.org/flu").
func webProblem(s string) string {
	bad := fmt.Sprintf("web address %q: want a web address such as https://example.org or example.org/flu", s)
	raw := s
	if !strings.Contains(s, "://") {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || strings.ContainsAny(s, " \t") {
		return bad
	}
	if h := u.Hostname(); !strings.Contains(h, ".") || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return bad
	}
	return ""
}
