package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/internal/analyze"
)

// shippedRecipe returns the recipe of the go:generate line in
// internal/analyze/crisismodel.go, with paths from this directory, and
// the shipped weights' path. It skips when the shared data is absent.
func shippedRecipe(t *testing.T) (config, string) {
	t.Helper()
	src, err := os.ReadFile("../../internal/analyze/crisismodel.go")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "//go:generate go run ../../cmd/traincrisis ") {
			line = strings.TrimPrefix(l, "//go:generate go run ../../cmd/traincrisis ")
		}
	}
	if line == "" {
		t.Fatal("no go:generate line for traincrisis in crisismodel.go")
	}
	var cfg config
	fs := flag.NewFlagSet("traincrisis", flag.ContinueOnError)
	cfg.flags(fs)
	out := fs.String("out", "", "")
	if err := fs.Parse(strings.Fields(line)); err != nil {
		t.Fatal(err)
	}
	// The line's paths are relative to internal/analyze.
	base := "../../internal/analyze"
	cfg.shared = filepath.Join(base, cfg.shared)
	cfg.own = filepath.Join(base, cfg.own)
	cfg.care = filepath.Join(base, cfg.care)
	cfg.tests = filepath.Join(base, cfg.tests)
	if _, err := os.Stat(cfg.shared); err != nil {
		t.Skip("shared data not present:", err)
	}
	return cfg, filepath.Join(base, *out)
}

// TestShippedCrisisWeightsReproduce retrains the crisis model with the
// flags of the go:generate line and checks it is byte for byte the
// embedded one.
func TestShippedCrisisWeightsReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	cfg, out := shippedRecipe(t)
	rows, err := cfg.load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := cfg.train(rows).Encode()
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(b, '\n'), shipped) {
		t.Errorf("%s is not what the go:generate recipe produces: run go generate ./internal/analyze", out)
	}
}

// TestHeldOutCrisis holds the honest figures of the shipped recipe on the
// development fifth of the hand-written rows, which it never trains on.
// Measured when the floors were set: recall 0.807 of 306, false critical
// 0.076 of 302 (round 2; round 1 measured 0.772 and 0.074 on fewer rows).
func TestHeldOutCrisis(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	cfg, _ := shippedRecipe(t)
	rows, err := cfg.load()
	if err != nil {
		t.Fatal(err)
	}
	a := analyze.NewWithOptions(analyze.Options{Crisis: cfg.train(rows)})
	tl := newTally()
	for _, r := range rows {
		if r.dev {
			tl.add(a, r, false)
		}
	}
	rate := func(k string) float64 { return float64(tl.crit[k]) / float64(tl.rows[k]) }
	recall, falseRate := rate("ANY all"), rate("none all")
	t.Logf("development set: recall %.3f of %d, false critical %.3f of %d", recall, tl.rows["ANY all"], falseRate, tl.rows["none all"])
	if recall < 0.78 || falseRate > 0.09 {
		t.Errorf("held-out recall %.3f and false critical %.3f, want >= 0.78 and <= 0.09", recall, falseRate)
	}
}
