package org

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestContactAndCrisisParse(t *testing.T) {
	data, err := os.ReadFile("testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := o.Contact
	if c == nil || !slices.Equal(c.Phones, List{"+1 512-555-0100", "1-800-555-0199"}) || !slices.Equal(c.Emails, List{"care@lonestarplan.example"}) ||
		!slices.Equal(c.Web, List{"https://lonestarplan.example", "lonestarplan.example/flu"}) {
		t.Errorf("contact = %+v", c)
	}
	k := o.Crisis
	if k == nil || len(k.Call) != 2 || k.Call[0] != (CrisisContact{Name: "Nurse line supervisor", Phone: "+1 512-555-0142"}) ||
		k.Call[1].Email != "risk@lonestarplan.example" || len(k.Steps) != 2 || !strings.HasPrefix(k.PublicReply, "We're concerned") {
		t.Errorf("crisis = %+v", k)
	}
	// The canonical JSON reads back the same.
	o2, err := Parse(o.Canonical())
	if err != nil {
		t.Fatalf("Parse(canonical): %v", err)
	}
	if string(o2.Canonical()) != string(o.Canonical()) {
		t.Errorf("round trip differs:\n%s\n%s", o2.Canonical(), o.Canonical())
	}
	// A single value is a list of one.
	one, err := Parse([]byte("organization: T\ntimezone: UTC\ncontact: {phones: \"988\", emails: help@t.example}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.Contact.Phones, List{"988"}) || !slices.Equal(one.Contact.Emails, List{"help@t.example"}) {
		t.Errorf("single values: %+v", one.Contact)
	}
}

func TestContactAndCrisisProblemsNameLineAndField(t *testing.T) {
	base, err := os.ReadFile("testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"phone with letters", `"1-800-555-0199"`, `"1-800-CALL-NOW"`, []string{"line 21", "contact.phones[1]", `phone "1-800-CALL-NOW"`, "digits"}},
		{"phone too short", `"1-800-555-0199"`, `"12"`, []string{"line 21", "contact.phones[1]", "3 to 15 digits"}},
		{"phone twice", `"1-800-555-0199"`, `"+1  512-555-0100"`, []string{"line 21", "contact.phones[1]", "listed twice"}},
		{"email without a domain", "[care@lonestarplan.example]", "[care@lonestarplan]", []string{"line 22", "contact.emails[0]", `email "care@lonestarplan"`}},
		{"email that is a name", "[care@lonestarplan.example]", "[Care Team]", []string{"line 22", "contact.emails[0]"}},
		{"web with another scheme", `"https://lonestarplan.example"`, `"ftp://lonestarplan.example"`, []string{"line 23", "contact.web[0]", "web address"}},
		{"web without a dot", `"https://lonestarplan.example"`, `"https://intranet"`, []string{"line 23", "contact.web[0]"}},
		{"unknown contact key", "  phones: [", "  phone: [", []string{"line 21", "contact.phone", "unknown field", "phones, emails, web"}},
		{"call without a name", "{name: Risk manager, email:", "{email:", []string{"line 27", "crisis.call[1].name", "name is missing"}},
		{"call with no way to reach", "{name: Nurse line supervisor, phone: \"+1 512-555-0142\"}", "{name: Nurse line supervisor}", []string{"line 26", "crisis.call[0]", "phone or an email"}},
		{"call with a bad phone", `phone: "+1 512-555-0142"`, `phone: "ext. 42"`, []string{"line 26", "crisis.call[0].phone"}},
		{"call with a bad email", "email: risk@lonestarplan.example}", "email: risk}", []string{"line 27", "crisis.call[1].email"}},
		{"empty step", "    - Call 911 if the post gives an address and an immediate threat.", `    - "  "`, []string{"line 29", "crisis.steps[0]", "empty step"}},
		{"placeholder in the public reply", "send us a direct message.", "send us a direct message, {first_name}.", []string{"line 31", "crisis.public_reply", "template variables"}},
		{"blank public reply", `"We're concerned and want to help. Please call or text 988 now, or send us a direct message."`, `"  "`, []string{"line 31", "crisis.public_reply", "blank"}},
		{"calls as one value", "  call:\n    - {name: Nurse line supervisor, phone: \"+1 512-555-0142\"}\n    - {name: Risk manager, email: risk@lonestarplan.example}\n", "  call: Nurse line supervisor\n", []string{"line 25", "crisis.call", "want a list"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(string(base), tc.from, tc.to, 1)
			if src == string(base) {
				t.Fatalf("the case changes nothing: %q not in the file", tc.from)
			}
			_, err := Parse([]byte(src))
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", src)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	if _, err := Parse([]byte("organization: T\ntimezone: UTC\ncrisis: {}\n")); err == nil || !strings.Contains(err.Error(), "crisis: the crisis protocol is empty") {
		t.Errorf("an empty protocol: %v", err)
	}
}

func TestChangesNamesARemovedCrisisProtocol(t *testing.T) {
	data, _ := os.ReadFile("testdata/org.yaml")
	a, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse(data)
	b.Crisis = nil
	if got := Changes(a, b); len(got) != 1 || !strings.HasPrefix(got[0], "crisis protocol") {
		t.Errorf("Changes = %q", got)
	}
}

func TestContactAddressForms(t *testing.T) {
	for _, tc := range []struct {
		s    string
		ok   func(string) string
		good bool
	}{
		{"+1 (512) 555-0100", phoneProblem, true}, {"512.555.0100", phoneProblem, true}, {"911", phoneProblem, true},
		{"5125550100+", phoneProblem, false}, {"1234567890123456", phoneProblem, false}, {"", phoneProblem, false},
		{"a.b@c.example", emailProblem, true}, {"a@b@c.example", emailProblem, false}, {"@c.example", emailProblem, false},
		{"a@.example", emailProblem, false}, {"a b@c.example", emailProblem, false},
		{"lonestar.example", webProblem, true}, {"http://lonestar.example/a?b=c", webProblem, true},
		{"https://user@lonestar.example", webProblem, false}, {"javascript:alert(1)", webProblem, false}, {"lonestar .example", webProblem, false},
	} {
		if got := tc.ok(tc.s) == ""; got != tc.good {
			t.Errorf("%q: good = %v, want %v (%s)", tc.s, got, tc.good, tc.ok(tc.s))
		}
	}
}
