package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEvalCrisis(t *testing.T) {
	file := writeFile(t, "crisis.jsonl", `{"text":"@HealthPlan I am going to kill myself tonight, I have the pills ready","lang":"en","kind":"self_harm"}
{"text":"@HealthPlan what time does member services open?","lang":"en","kind":"none"}
{"text":"my phone battery died while on hold","lang":"en"}
{"text":"I want to end my life, I have the rope","severity":5}
`)
	code, out, errs := runWithInput(t, "", nil, "eval", "--crisis", "--list", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"self_harm", "en", "none", "?", "overall: recall", "false critical"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runWithInput(t, "", nil, "eval", "--crisis", "--json", file)
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, out)
	}
	var rep crisisReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	// Two rows at risk (one by kind, one by C-SSRS severity), two not.
	if rep.Positives != 2 || rep.Negatives != 2 {
		t.Errorf("positives %d negatives %d, want 2 and 2\n%s", rep.Positives, rep.Negatives, out)
	}
	if rep.FalseCritical != 0 {
		t.Errorf("false critical %.3f on a plain question and a figure of speech", rep.FalseCritical)
	}
}

func TestEvalCrisisRejectsUnknownKind(t *testing.T) {
	file := writeFile(t, "bad.jsonl", `{"text":"x","kind":"sad"}`+"\n")
	code, _, errs := runWithInput(t, "", nil, "eval", "--crisis", file)
	if code == 0 || !strings.Contains(errs, `kind "sad"`) || !strings.Contains(errs, "line 1") {
		t.Errorf("exit %d, stderr %q: want an error naming the line and the kind", code, errs)
	}
}
