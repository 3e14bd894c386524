package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
)

// orgRows is a small organisation file in which a made-up word ("glorp")
// marks complaints, so a trained model must differ from the built-in one.
func orgRows() string {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, `{"text":"the glorp portal again %d","label":"negative"}`+"\n", i)
		fmt.Fprintf(&b, `{"text":"where is the form for plan %d?","label":"neutral"}`+"\n", i)
		fmt.Fprintf(&b, `{"text":"thanks, the nurses were lovely %d","label":"positive"}`+"\n", i)
	}
	return b.String()
}

func TestTrainCrossValidation(t *testing.T) {
	data := writeFile(t, "org.jsonl", orgRows())
	code, out, errs := runWithInput(t, "", nil, "train", "--cv", "3", "--data", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"3-fold cross-validation on 60 rows", "fold 3", "accuracy", "macro-F1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTrainOutThenUse(t *testing.T) {
	data := writeFile(t, "org.jsonl", orgRows())
	modelFile := filepath.Join(t.TempDir(), "model.json")
	code, out, errs := runWithInput(t, "", nil, "train", "--data", data, "--out", modelFile)
	if code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	b, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analyze.DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := analyze.NewWithModel(m).Sentiment("glorp glorp").Label; got != "negative" {
		t.Errorf("trained model says %s for the organisation's complaint word", got)
	}
	code, out, _ = runWithInput(t, `{"text":"glorp glorp"}`+"\n", nil, "analyze", "--model", modelFile)
	if code != 0 || !strings.Contains(out, `"label":"negative"`) {
		t.Errorf("analyze --model: exit %d\n%s", code, out)
	}
}

func TestTrainStoresModel(t *testing.T) {
	data := writeFile(t, "org.jsonl", orgRows())
	dir := t.TempDir()
	env := map[string]string{"EARSHOT_DATA": dir}
	code, out, errs := runWithInput(t, "", env, "train", "--data", data)
	if code != 0 || !strings.Contains(out, `stored as model "sentiment"`) {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	code, out, errs = runWithInput(t, `{"text":"glorp glorp"}`+"\n", env, "analyze", "--org-model")
	if code != 0 || !strings.Contains(out, `"label":"negative"`) {
		t.Errorf("analyze --org-model: exit %d\n%s\n%s", code, out, errs)
	}
	// Naming the store is enough: analysis uses its model from then on.
	for _, args := range [][]string{{"analyze"}, {"analyze", "--data", dir}} {
		e := env
		if len(args) > 1 {
			e = nil
		}
		code, out, errs = runWithInput(t, `{"text":"glorp glorp"}`+"\n", e, args...)
		if code != 0 || !strings.Contains(out, `"label":"negative"`) || !strings.Contains(errs, "organisation's model") {
			t.Errorf("%q with the store named: exit %d\n%s\n%s", args, code, out, errs)
		}
	}
	code, out, _ = runWithInput(t, "", env, "eval", data)
	if code != 0 || !strings.Contains(out, "accuracy  1.000") {
		t.Errorf("eval with the store named: exit %d\n%s", code, out)
	}
}

func TestOrgModelNeedsAStore(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo")
	code, _, errs := runWithInput(t, `{"text":"hello"}`+"\n", nil, "analyze", "--org-model", "--data", missing)
	if code != 1 || !strings.Contains(errs, "no Earshot store in "+missing) {
		t.Fatalf("exit %d, stderr %q; want a missing-store error", code, errs)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatalf("a store was created at %s (stat err %v)", missing, err)
	}
}

func TestTrainDataEnvIsTheStore(t *testing.T) {
	// EARSHOT_DATA names the store directory, never the training file.
	env := map[string]string{"EARSHOT_DATA": t.TempDir()}
	code, _, errs := runWithInput(t, "", env, "train", "--cv", "2")
	if code != 2 || !strings.Contains(errs, "--data") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	// The file may also be given as an argument.
	data := writeFile(t, "org.jsonl", orgRows())
	code, out, errs := runWithInput(t, "", env, "train", data, "--cv", "2")
	if code != 0 || !strings.Contains(out, "2-fold") {
		t.Errorf("positional file: exit %d %s %s", code, out, errs)
	}
}

func TestTrainRejects(t *testing.T) {
	data := writeFile(t, "org.jsonl", orgRows())
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no data", []string{"train"}, 2, "--data"},
		{"unknown flag", []string{"train", "--data", data, "--nope"}, 2, "nope"},
		{"one fold", []string{"train", "--data", data, "--cv", "1"}, 2, "at least 2"},
		{"too many folds", []string{"train", "--data", data, "--cv", "500"}, 1, "folds"},
		{"zero epochs", []string{"train", "--data", data, "--epochs", "0"}, 2, "--epochs"},
		{"negative epochs", []string{"train", "--data", data, "--epochs", "-3"}, 2, "--epochs"},
		{"zero seeds", []string{"train", "--data", data, "--seeds", "0"}, 2, "--seeds"},
		{"negative l2", []string{"train", "--data", data, "--l2", "-1"}, 2, "--l2"},
		{"NaN l2", []string{"train", "--data", data, "--l2", "NaN"}, 2, "--l2"},
		{"zero min-count", []string{"train", "--data", data, "--min-count", "0"}, 2, "--min-count"},
		{"missing", []string{"train", "--data", filepath.Join(t.TempDir(), "x.jsonl"), "--cv", "2"}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runWithInput(t, "", nil, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
		})
	}
}

func TestTrainWithCorrections(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.New(st, analyze.New(), ingest.Options{})
	var ms []model.Mention
	for i := 0; i < 3; i++ {
		ms = append(ms, model.Mention{Platform: "x", ExternalID: fmt.Sprint("c", i), Text: fmt.Sprintf("the zorble desk %d", i),
			CreatedAt: time.Now().UTC(), Author: model.Author{Handle: fmt.Sprint("u", i)}})
	}
	res, err := p.Ingest(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if err := st.AddCorrection(ctx, &store.Correction{MentionID: r.ID, Sentiment: "negative", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	env := map[string]string{"EARSHOT_DATA": dir}
	data := writeFile(t, "org.jsonl", orgRows())
	code, out, errs := runWithInput(t, "", env, "train", "--data", data, "--corrections", "--cv", "2")
	if code != 0 || !strings.Contains(out, "using 3 sentiment corrections") || !strings.Contains(out, "on 63 rows") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
}
