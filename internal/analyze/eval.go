package analyze

import (
	"fmt"
	"io"
	"sort"
)

// ClassScore is precision, recall and F1 of one class.
type ClassScore struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// SentimentReport is accuracy, macro-F1, per-class scores and the
// confusion matrix of predicted against gold labels.
type SentimentReport struct {
	N        int          `json:"n"`
	Accuracy float64      `json:"accuracy"`
	MacroF1  float64      `json:"macro_f1"`
	Classes  []ClassScore `json:"classes"`
	// Confusion[i][j] counts rows of gold class Labels[i] predicted as
	// Labels[j].
	Labels    []string `json:"labels"`
	Confusion [][]int  `json:"confusion"`
}

// EvaluateSentiment compares predictions with gold labels (same length).
// Labels are Classes plus any other label that occurs, in sorted order.
func EvaluateSentiment(gold, pred []string) SentimentReport {
	labels := append([]string(nil), Classes[:]...)
	known := map[string]int{}
	for i, l := range labels {
		known[l] = i
	}
	var extra []string
	for _, set := range [][]string{gold, pred} {
		for _, l := range set {
			if _, ok := known[l]; !ok {
				known[l] = -1
				extra = append(extra, l)
			}
		}
	}
	sort.Strings(extra)
	labels = append(labels, extra...)
	for i, l := range labels {
		known[l] = i
	}
	n := len(labels)
	r := SentimentReport{N: len(gold), Labels: labels, Confusion: make([][]int, n)}
	for i := range r.Confusion {
		r.Confusion[i] = make([]int, n)
	}
	correct := 0
	for i := range gold {
		if i >= len(pred) {
			break
		}
		r.Confusion[known[gold[i]]][known[pred[i]]]++
		if gold[i] == pred[i] {
			correct++
		}
	}
	if r.N > 0 {
		r.Accuracy = float64(correct) / float64(r.N)
	}
	var f1sum float64
	classes := 0
	for i, l := range labels {
		tp := r.Confusion[i][i]
		var predN, goldN int
		for j := 0; j < n; j++ {
			predN += r.Confusion[j][i]
			goldN += r.Confusion[i][j]
		}
		cs := ClassScore{Label: l, Support: goldN}
		cs.Precision, cs.Recall, cs.F1 = prf(tp, predN, goldN)
		r.Classes = append(r.Classes, cs)
		if goldN > 0 || predN > 0 {
			f1sum += cs.F1
			classes++
		}
	}
	if classes > 0 {
		r.MacroF1 = f1sum / float64(classes)
	}
	return r
}

func prf(tp, predN, goldN int) (p, r, f float64) {
	if predN > 0 {
		p = float64(tp) / float64(predN)
	}
	if goldN > 0 {
		r = float64(tp) / float64(goldN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// Write prints the report as a table.
func (r SentimentReport) Write(w io.Writer) {
	fmt.Fprintf(w, "rows      %d\naccuracy  %.3f\nmacro-F1  %.3f\n\n", r.N, r.Accuracy, r.MacroF1)
	fmt.Fprintf(w, "%-10s %9s %7s %7s %8s\n", "class", "precision", "recall", "F1", "support")
	for _, c := range r.Classes {
		fmt.Fprintf(w, "%-10s %9.3f %7.3f %7.3f %8d\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	fmt.Fprintf(w, "\nconfusion (rows gold, columns predicted)\n%-10s", "")
	for _, l := range r.Labels {
		fmt.Fprintf(w, " %9s", l)
	}
	fmt.Fprintln(w)
	for i, l := range r.Labels {
		fmt.Fprintf(w, "%-10s", l)
		for j := range r.Labels {
			fmt.Fprintf(w, " %9d", r.Confusion[i][j])
		}
		fmt.Fprintln(w)
	}
}
