package analyze

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// toyRows is a small separable corpus: each class has its own words.
func toyRows() []LabeledText {
	var rows []LabeledText
	for i := 0; i < 30; i++ {
		rows = append(rows,
			LabeledText{Text: fmt.Sprintf("@Plan the zorblax was bad again %d", i), Label: "negative"},
			LabeledText{Text: fmt.Sprintf("@Plan what is the quimble for plan %d?", i), Label: "neutral"},
			LabeledText{Text: fmt.Sprintf("@Plan the flurbish was lovely, thanks %d", i), Label: "positive"},
		)
	}
	return rows
}

func TestTrainEncodeDecode(t *testing.T) {
	m, err := Train(toyRows(), TrainOptions{Epochs: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := NewWithModel(m), NewWithModel(m2)
	tests := []struct{ text, want string }{
		{"@Plan another zorblax", "negative"},
		{"@Plan where is my quimble?", "neutral"},
		{"@Plan flurbish!", "positive"},
	}
	for _, tt := range tests {
		s1, s2 := a1.Sentiment(tt.text), a2.Sentiment(tt.text)
		if s1.Label != tt.want {
			t.Errorf("%q: %s, want %s", tt.text, s1.Label, tt.want)
		}
		if s1 != s2 {
			t.Errorf("%q: decoded model gives %+v, original %+v", tt.text, s2, s1)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	tests := []struct {
		name string
		rows []LabeledText
		want string
	}{
		{"empty", nil, "no rows"},
		{"bad label", []LabeledText{{Text: "x", Label: "angry"}}, "angry"},
		{"one class", []LabeledText{{Text: "x", Label: "negative"}, {Text: "y", Label: "negative"}}, "two classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.rows, TrainOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

func TestDecodeModelErrors(t *testing.T) {
	tests := []struct{ name, blob string }{
		{"not json", "nope"},
		{"wrong kind", `{"kind":"other","version":1}`},
		{"old version", `{"kind":"earshot-sentiment-logreg","version":99,"classes":["negative","neutral","positive"]}`},
		{"classes", `{"kind":"earshot-sentiment-logreg","version":1,"classes":["a","b","c"]}`},
	}
	for _, tt := range tests {
		if _, err := DecodeModel([]byte(tt.blob)); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestCrossValidate(t *testing.T) {
	cv, err := CrossValidate(toyRows(), 5, TrainOptions{Epochs: 5})
	if err != nil {
		t.Fatal(err)
	}
	if cv.Folds != 5 || len(cv.FoldAccuracy) != 5 || cv.Pooled.N != 90 {
		t.Fatalf("cv %+v", cv)
	}
	if cv.Pooled.Accuracy < 0.9 {
		t.Errorf("accuracy %.2f on a separable corpus", cv.Pooled.Accuracy)
	}
	if _, err := CrossValidate(toyRows(), 1, TrainOptions{}); err == nil {
		t.Error("1 fold accepted")
	}
}

func TestTrainFromBase(t *testing.T) {
	// Fine-tuning on a few rows keeps what the base model knows.
	rows := []LabeledText{
		{Text: "the gizmo portal is down", Label: "negative"},
		{Text: "the gizmo portal is down again", Label: "negative"},
		{Text: "love the gizmo portal", Label: "positive"},
		{Text: "love the gizmo portal now", Label: "positive"},
	}
	m, err := Train(rows, TrainOptions{Base: DefaultModel(), MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := NewWithModel(m)
	if s := a.Sentiment("thank you so much, the nurses were wonderful"); s.Label != "positive" {
		t.Errorf("base knowledge lost: %+v", s)
	}
}

func TestEvaluateSentiment(t *testing.T) {
	gold := []string{"negative", "negative", "neutral", "positive", "positive", "positive"}
	pred := []string{"negative", "neutral", "neutral", "positive", "positive", "negative"}
	r := EvaluateSentiment(gold, pred)
	if math.Abs(r.Accuracy-4.0/6) > 1e-9 {
		t.Errorf("accuracy %v", r.Accuracy)
	}
	want := map[string][2]float64{"negative": {0.5, 0.5}, "neutral": {0.5, 1}, "positive": {1, 2.0 / 3}}
	for _, c := range r.Classes {
		w := want[c.Label]
		if math.Abs(c.Precision-w[0]) > 1e-9 || math.Abs(c.Recall-w[1]) > 1e-9 {
			t.Errorf("%s: P %v R %v, want %v", c.Label, c.Precision, c.Recall, w)
		}
	}
	macro := (0.5 + 2.0/3 + 0.8) / 3
	if math.Abs(r.MacroF1-macro) > 1e-9 {
		t.Errorf("macro-F1 %v, want %v", r.MacroF1, macro)
	}
	if r.Confusion[2][0] != 1 || r.Confusion[0][1] != 1 {
		t.Errorf("confusion %v", r.Confusion)
	}
	var sb strings.Builder
	r.Write(&sb)
	if !strings.Contains(sb.String(), "macro-F1  0.656") {
		t.Errorf("report:\n%s", sb.String())
	}
}

func TestTrainSeedsAverages(t *testing.T) {
	rows := toyRows()
	var singles []*Model
	for s := uint64(1); s <= 3; s++ {
		m, err := Train(rows, TrainOptions{Epochs: 5, Seed: s})
		if err != nil {
			t.Fatal(err)
		}
		singles = append(singles, m)
	}
	avg, err := Train(rows, TrainOptions{Epochs: 5, Seed: 1, Seeds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if avg.Meta["seeds"] != "3" {
		t.Errorf("meta seeds %q, want 3", avg.Meta["seeds"])
	}
	for name, w := range avg.Weights {
		for c := range w {
			var s float64
			for _, m := range singles {
				s += float64(m.Weights[name][c])
			}
			if d := float64(w[c]) - s/3; d > 1e-3 || d < -1e-3 {
				t.Fatalf("%s[%d] = %v, want the mean %v", name, c, w[c], s/3)
			}
		}
	}
	a := NewWithModel(avg)
	if got := a.Sentiment("@Plan another zorblax").Label; got != "negative" {
		t.Errorf("averaged model: %s, want negative", got)
	}
	b, err := avg.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeModel(b); err != nil {
		t.Fatal(err)
	}
}
