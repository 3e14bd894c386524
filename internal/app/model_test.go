package app

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/store/storetest"
)

// TestModelReloadPutsATrainedModelInForce: a model stored while serve runs
// (earshot train in another process) is picked up by the next sweep, once.
func TestModelReloadPutsATrainedModelInForce(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	an, stamp, err := LoadAnalyzer(ctx, st)
	if err != nil || stamp != "" {
		t.Fatalf("empty store: stamp %q, err %v; want the built-in model", stamp, err)
	}
	const probe = "glorp card came today"
	if got := an.Analyze(analyze.Input{Text: probe}).Sentiment.Label; got == "negative" {
		t.Fatalf("built-in model already reads %q as negative; pick another probe", probe)
	}
	var set []*analyze.Analyzer
	sweep := modelReload(st, stamp, func(a *analyze.Analyzer) { set = append(set, a) }, slog.New(slog.DiscardHandler))
	if err := sweep(ctx, time.Now()); err != nil || len(set) != 0 {
		t.Fatalf("no model stored: %d reloads, err %v", len(set), err)
	}

	var rows []analyze.LabeledText
	for i := range 30 {
		rows = append(rows,
			analyze.LabeledText{Text: fmt.Sprintf("glorp card came today %d", i), Label: "negative"},
			analyze.LabeledText{Text: fmt.Sprintf("where is the form for plan %d?", i), Label: "neutral"},
			analyze.LabeledText{Text: fmt.Sprintf("thanks, the nurses were lovely %d", i), Label: "positive"})
	}
	m, err := analyze.Train(rows, analyze.TrainOptions{Base: analyze.DefaultModel(), Epochs: 3})
	if err != nil {
		t.Fatal(err)
	}
	blob, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutModel(ctx, SentimentModel, blob); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := sweep(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(set) != 1 {
		t.Fatalf("%d reloads after one stored model, want 1", len(set))
	}
	if got := set[0].Analyze(analyze.Input{Text: probe}).Sentiment.Label; got != "negative" {
		t.Fatalf("reloaded analyzer reads %q as %s, want the trained model's negative", probe, got)
	}
}
