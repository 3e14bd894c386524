package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEvalGuard(t *testing.T) {
	file := writeFile(t, "guard.jsonl", `{"text":"Hi Chris, sorry for the wait! Please DM us. ^Helen","expect":"pass","category":"greeting"}
{"text":"Free flu shots this Saturday at our Elm St clinic.","expect":"pass","category":"public_health"}
{"text":"Your metformin refill is ready.","expect":"refuse","category":"medication"}
{"text":"We hope your mother's stroke care went well.","expect":"refuse","category":"relative_care"}
{"text":"Hi Ann, your appointment is confirmed.","expect":"pass","category":"appointment_word"}
`)
	code, out, errs := runWithInput(t, "", nil, "eval", "--guard", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"greeting", "relative_care", "100.0% 1/1", "overall", "33.3% 1/3", "100.0% 2/2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runWithInput(t, "", nil, "eval", "--guard", "--json", file)
	var rep struct {
		Overall struct {
			Rows, Refused, FalseRefusals, Caught int
			FalseRate                            float64 `json:"false_refusal_rate"`
		} `json:"overall"`
		Wrong []struct{ Text string } `json:"wrong"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("json: exit %d\n%s", code, out)
	}
	if rep.Overall.Rows != 5 || rep.Overall.Refused != 3 || len(rep.Wrong) != 1 || !strings.Contains(rep.Wrong[0].Text, "appointment") {
		t.Errorf("json report %+v", rep)
	}
	bad := writeFile(t, "bad.jsonl", `{"text":"x","expect":"maybe","category":"c"}`+"\n")
	if code, _, errs := runWithInput(t, "", nil, "eval", "--guard", bad); code != 1 || !strings.Contains(errs, `line 1: expect "maybe" is not pass or refuse`) {
		t.Errorf("bad expect: exit %d, %s", code, errs)
	}
	if code, _, errs := runWithInput(t, "", nil, "eval", "--guard", "--phi", file); code != 2 || !strings.Contains(errs, "one of") {
		t.Errorf("--guard with --phi: exit %d, %s", code, errs)
	}
}

// TestEvalGuardKnowsTheOrganisationsContacts: with --org, the guard knows
// the file's own phone numbers, as serve's guard does, so a reply giving
// the front desk's number passes; without it, that number is a stranger's.
func TestEvalGuardKnowsTheOrganisationsContacts(t *testing.T) {
	file := writeFile(t, "guard.jsonl", `{"text":"Please call 512-555-0142 and we'll help.","expect":"pass","category":"org_contact"}`+"\n")
	orgFile := writeFile(t, "org.yaml", "organization: T\ntimezone: UTC\ncontact:\n  phones: [\"512-555-0142\"]\n")
	if code, out, errs := runWithInput(t, "", nil, "eval", "--guard", file); code != 0 || !strings.Contains(out, "100.0% 1/1") {
		t.Fatalf("without --org the number should be refused: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runWithInput(t, "", nil, "eval", "--guard", "--org", orgFile, file); code != 0 || !strings.Contains(out, "0.0% 0/1") {
		t.Errorf("with --org: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runWithInput(t, "", nil, "eval", "--org", orgFile, file); code != 2 || !strings.Contains(errs, "--org goes with --guard") {
		t.Errorf("--org without --guard: exit %d, %s", code, errs)
	}
	if code, _, errs := runWithInput(t, "", nil, "eval", "--guard", "--org", writeFile(t, "bad.yaml", "organization: [\n"), file); code != 1 || !strings.Contains(errs, "bad.yaml") {
		t.Errorf("a broken organisation file: exit %d, %s", code, errs)
	}
}
