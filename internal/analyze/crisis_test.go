package analyze

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/internal/model"
)

// TestCrisisFeatureHashes checks that the hash the analyser computes for
// each feature is the hash of its name (crisisHash), by which the model
// file's weights are found.
func TestCrisisFeatureHashes(t *testing.T) {
	a := New()
	for _, text := range []string{
		"@HealthPlan I'm not going to kill myself, I'm just tired of the 3 calls https://example.com",
		"mi hijo se tragó una pila, 12345 #ayuda",
		"Waited 7 hrs in the ER with chest pains and still nobody has seen me",
	} {
		st := a.begin(text)
		st.sc.hits = a.lex.urgent.match(st.sc.toks, st.sc.hits[:0])
		var names []string
		var hs []uint64
		a.crisisFeatures(st.sc, st.sc.hits, &names, func(h uint64, v float32) { hs = append(hs, h) })
		a.end(st)
		if len(names) != len(hs) || len(hs) == 0 {
			t.Fatalf("%d names for %d features: %q", len(names), len(hs), text)
		}
		for i, n := range names {
			if crisisHash(n) != hs[i] {
				t.Errorf("feature %q: hash %x, crisisHash %x", n, hs[i], crisisHash(n))
			}
		}
	}
}

func TestCrisisFeaturesName(t *testing.T) {
	fs, _ := New().CrisisFeatures("I can't breathe, call 911 https://example.com")
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	for _, want := range []string{"w:cant", "n:breathe", "b:cant breathe", "w:911", "g:breathe", "k:medical_emergency", "c:medical_emergency", "m:cant breathe", "s:breat", "u:link"} {
		if !slices.Contains(names, want) {
			t.Errorf("features lack %q: %v", want, names)
		}
	}
}

func TestCrisisGateSections(t *testing.T) {
	g, err := loadCrisisGate(fstest.MapFS{"crisis_gate.txt": {Data: []byte("# words\n[violence]\nknife\nstab*\n[abuse_neglect]\nbruise*\nknife\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.names, []string{"violence", "abuse_neglect"}) {
		t.Fatalf("sections %v", g.names)
	}
	sc := &scratch{}
	tests := []struct {
		word string
		want uint16
	}{{"knife", 3}, {"stabbed", 1}, {"stab", 1}, {"sta", 0}, {"bruises", 2}, {"spoon", 0}}
	for _, tt := range tests {
		sc.norm, sc.toks = sc.norm[:0], sc.toks[:0]
		tokenize(sc, tt.word)
		if got := g.sections(sc, &sc.toks[0]); got != tt.want {
			t.Errorf("%s: sections %b, want %b", tt.word, got, tt.want)
		}
	}
	for _, bad := range []string{"knife\n", "[violence]\nst*\n", "[violence]\ntwo words\n"} {
		if _, err := loadCrisisGate(fstest.MapFS{"crisis_gate.txt": {Data: []byte(bad)}}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestCrisisKinds(t *testing.T) {
	a := New()
	tests := []struct {
		text string
		kind string // "" for not critical
	}{
		{"@HealthPlan I'm going to end my life tonight", CrisisSelfHarm},
		{"my toddler swallowed a button battery", CrisisPoisoning},
		{"my dad has crushing chest pain and his arm is numb", CrisisMedicalEmergency},
		{"this hold music is killing me", ""},
		{"@JetBlue where do I add my loyalty number to my reservation?", ""},
	}
	for _, tt := range tests {
		u := a.Analyze(Input{Text: tt.text}).Urgency
		if tt.kind == "" {
			if u.Level == model.UrgencyCritical {
				t.Errorf("critical %v: %s", u.Reasons, tt.text)
			}
			continue
		}
		if u.Level != model.UrgencyCritical || !slices.Contains(u.Reasons, tt.kind) {
			t.Errorf("%s %v, want critical %s: %s", u.Level, u.Reasons, tt.kind, tt.text)
		}
	}
}

// TestTrainCrisisLearns trains on a few rows and checks the model's
// probabilities agree with the analyser's decision, with and without
// word vectors.
func TestTrainCrisisLearns(t *testing.T) {
	a := New()
	rows := []struct {
		text  string
		class int
	}{
		{"i took all my pills and i feel strange", 2},
		{"she swallowed the cleaner under the sink", 2},
		{"my chest hurts and i cannot breathe", 3},
		{"he is not breathing and his lips are blue", 3},
		{"what time does the pharmacy open", 0},
		{"thank you for the lovely care last year", 0},
	}
	for _, vectors := range []bool{false, true} {
		var ex []CrisisExample
		for _, r := range rows {
			fs, words := a.CrisisFeatures(r.text)
			ex = append(ex, CrisisExample{Features: fs, Words: words, Class: r.class, Weight: 1})
		}
		m := TrainCrisis(ex, CrisisTrainOptions{Epochs: 30, LearningRate: 0.3, MinCount: 1, Seed: 1, Threshold: 0.5, CueThreshold: 0.5, Vectors: vectors})
		b, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := DecodeCrisisModel(b)
		if err != nil {
			t.Fatal(err)
		}
		am := NewWithOptions(Options{Crisis: m2})
		for _, r := range rows {
			fs, _ := am.CrisisFeatures(r.text)
			var words []string
			for _, tk := range fs {
				if len(tk.Name) > 2 && tk.Name[:2] == "w:" {
					words = append(words, tk.Name[2:])
				}
			}
			p := m2.Probs(fs, words)
			best := 0
			for c := range p {
				if p[c] > p[best] {
					best = c
				}
			}
			if best != r.class {
				t.Errorf("vectors %v: %q: class %d, want %d (%v)", vectors, r.text, best, r.class, p)
			}
			crit := am.Analyze(Input{Text: r.text}).Urgency.Level == model.UrgencyCritical
			if crit != (r.class != 0) {
				t.Errorf("vectors %v: %q: critical %v, model class %d", vectors, r.text, crit, r.class)
			}
		}
	}
}

func TestDecodeCrisisModelRejects(t *testing.T) {
	for _, bad := range []string{
		`{`,
		`{"kind":"earshot-sentiment-logreg","version":1}`,
		`{"kind":"earshot-crisis-logreg","version":99,"classes":["none","self_harm","poisoning","medical_emergency","violence","abuse_neglect"]}`,
		`{"kind":"earshot-crisis-logreg","version":1,"classes":["none","a","b","c","d","e"]}`,
		`{"kind":"earshot-crisis-logreg","version":1,"classes":["none","self_harm","poisoning","medical_emergency","violence","abuse_neglect"],"vectors":[[0,0,0,0,0,0]]}`,
	} {
		if _, err := DecodeCrisisModel([]byte(bad)); err == nil {
			t.Errorf("no error for %s", bad)
		}
	}
}

func FuzzDecodeCrisisModel(f *testing.F) {
	f.Add(defaultCrisisWeights[:200])
	f.Add([]byte(`{"kind":"earshot-crisis-logreg","version":1,"classes":["none","self_harm","poisoning","medical_emergency","violence","abuse_neglect"],"weights":{"w:x":[1,2,3,4,5,6]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeCrisisModel(b)
		if err != nil {
			return
		}
		a := NewWithOptions(Options{Crisis: m})
		a.Analyze(Input{Text: "I can't breathe, my chest hurts"})
	})
}

// TestCrisisContextSections checks that the words of a context section
// ("[+name]") pass no post to the model but are read paired with the
// crisis sections a post touches.
func TestCrisisContextSections(t *testing.T) {
	g, err := loadCrisisGate(fstest.MapFS{"crisis_gate.txt": {Data: []byte("[violence]\nknife\n[+person]\nmy\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if g.gate != 1 {
		t.Errorf("gate bits %b, want 1 (only [violence])", g.gate)
	}
	a := New()
	for _, tt := range []struct {
		text string
		gate bool
		pair string
	}{
		{"my flight to denver is today", false, ""},
		{"i wrote a note for my sister and said goodbye", true, "p:indirect +person"},
		{"an article about a knife attack years ago", true, "p:violence +past"},
	} {
		fs, _ := a.CrisisFeatures(tt.text)
		gated, paired := false, tt.pair == ""
		for _, f := range fs {
			gated = gated || strings.HasPrefix(f.Name, "g:") || strings.HasPrefix(f.Name, "c:")
			paired = paired || f.Name == tt.pair
			if strings.HasPrefix(f.Name, "p:") && !strings.Contains(strings.TrimPrefix(f.Name, "p:"), " ") {
				t.Errorf("%q: pair feature %q names one section", tt.text, f.Name)
			}
		}
		if gated != tt.gate {
			t.Errorf("%q: gated %v, want %v", tt.text, gated, tt.gate)
		}
		if !paired {
			t.Errorf("%q: no feature %q in %v", tt.text, tt.pair, fs)
		}
	}
}

// TestAverageCrisisModels checks that the mean of models is taken weight
// by weight, a weight one model lacks counting as zero, and that the
// average decides like a model (it is compiled).
func TestAverageCrisisModels(t *testing.T) {
	mk := func(bias float32, w map[string][crisisClasses]float32) *CrisisModel {
		return &CrisisModel{Kind: CrisisModelKind, Version: crisisVersion, Classes: CrisisClasses,
			Bias: [crisisClasses]float32{bias}, Weights: w, Threshold: 0.5, SelfHarmThreshold: 0.3}
	}
	a := mk(1, map[string][crisisClasses]float32{"w:x": {0, 2}, "w:y": {0, 0, 4}})
	b := mk(3, map[string][crisisClasses]float32{"w:x": {0, 4}})
	m := AverageCrisisModels([]*CrisisModel{a, b})
	if m.Bias[0] != 2 {
		t.Errorf("bias %v, want 2", m.Bias[0])
	}
	if got := m.Weights["w:x"][1]; got != 3 {
		t.Errorf("w:x %v, want 3", got)
	}
	if got := m.Weights["w:y"][2]; got != 2 {
		t.Errorf("w:y %v, want 2 (absent in one model counts as 0)", got)
	}
	if m.SelfHarmThreshold != 0.3 || m.compiled == nil {
		t.Errorf("threshold %v, compiled %v: want ms[0]'s threshold and a compiled model", m.SelfHarmThreshold, m.compiled != nil)
	}
}

// TestSelfHarmThreshold checks the lower bar for self_harm alone: a text
// whose crisis kinds together stay under Threshold is critical when
// self_harm alone reaches SelfHarmThreshold, and not otherwise.
func TestSelfHarmThreshold(t *testing.T) {
	m := &CrisisModel{Classes: CrisisClasses, Threshold: 0.5}
	p := []float64{0.6, 0.35, 0.05, 0, 0, 0}
	if got := m.decide(p, false); got != nil {
		t.Errorf("without a self-harm bar: %v, want not critical", got)
	}
	m.SelfHarmThreshold = 0.3
	if got := m.decide(p, false); len(got) == 0 || got[0] != CrisisSelfHarm {
		t.Errorf("with a self-harm bar of 0.3: %v, want self_harm", got)
	}
	if got := m.decide([]float64{0.6, 0.05, 0.35, 0, 0, 0}, false); got != nil {
		t.Errorf("poisoning at 0.35 with a self-harm bar: %v, want not critical", got)
	}
}
