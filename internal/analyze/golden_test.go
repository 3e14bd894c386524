package analyze

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"strings"
	"testing"

	"earshot/internal/generate"
	"earshot/internal/model"
)

// goldenSums are the SHA-256 sums of the analyses of each corpus, one
// JSON line per input (see hashAnalyses). They pin the analyser's output
// byte for byte: a change to a word list, a table or a rule that alters
// any analysis changes a sum. When a change is meant to alter output,
// check the differences it makes and write the new sums here.
var goldenSums = map[string]string{
	"testdata":  "0d7cf61672d855aa45123d033467fde1f6c1b067ae33588ffbb42ff2961c66a1",
	"generated": "258273d2cbe58f16c4a51f345a2282a2f19b59c3e7fe62d4af2f1e09fe69f24e",
	"shared":    "f4361ee3bd938069b46e09b04cd0c2c561a67517b3a8207c98f1f50a535e5a19",
}

// goldenInput varies the fields besides the text by the input's index, so
// ratings, influence and direction rules run too.
func goldenInput(i int, text string) Input {
	in := Input{Text: text, Kind: model.KindPost, Direction: model.DirectionInbound}
	switch {
	case i%13 == 0:
		in.Direction = model.DirectionOutbound
	case i%7 == 0:
		r := i%5 + 1
		in.Kind, in.Rating = model.KindReview, &r
	}
	switch i % 3 {
	case 1:
		in.Followers = 120
	case 2:
		in.Followers = HighInfluenceFollowers + int64(i)
	}
	in.Verified = i%11 == 0
	return in
}

// hashAnalyses writes the JSON of the analysis of each input, and of its
// text's sentiment and PHI on their own, a line each into h.
func hashAnalyses(t *testing.T, a *Analyzer, h hash.Hash, ins []Input) {
	t.Helper()
	enc := json.NewEncoder(h)
	for _, in := range ins {
		if err := enc.Encode(a.Analyze(in)); err != nil {
			t.Fatal(err)
		}
		if err := enc.Encode(a.Sentiment(in.Text)); err != nil {
			t.Fatal(err)
		}
		if err := enc.Encode(a.FindPHI(in.Text)); err != nil {
			t.Fatal(err)
		}
	}
}

// goldenCorpus returns the inputs of a corpus: "testdata", the package's
// own test posts; "generated", mentions from internal/generate; "shared",
// the shared evaluation data (the subtest skips when it is absent, see
// sharedData).
func goldenCorpus(t *testing.T, name string) []Input {
	var texts []string
	var ins []Input
	switch name {
	case "testdata":
		for _, f := range []string{"crisis.txt", "notcrisis.txt", "intents.tsv", "languages.tsv"} {
			for _, l := range readLines(t, "testdata/"+f) {
				if _, text, ok := strings.Cut(l, "\t"); ok {
					l = text
				}
				texts = append(texts, l)
			}
		}
		texts = append(texts, benchPosts...)
	case "generated":
		g := generate.New(generate.Options{Seed: 18, Count: 3000})
		for range 3000 {
			m := g.Next()
			ins = append(ins, InputFromMention(&m))
		}
		return ins
	case "shared":
		type row struct {
			Text string `json:"text"`
		}
		for _, f := range []string{"crisis/cssrs_suicidewatch.jsonl", "phi/presidio_synth.jsonl",
			"sentiment/hospital_reviews.jsonl", "sentiment/airline_dev.jsonl", "sentiment/vader_tweets.jsonl",
			"sentiment/vader_amazon.jsonl", "sentiment/vader_movies.jsonl", "sentiment/vader_nyt.jsonl"} {
			// Every crisis and PHI row; a third of the larger sentiment sets.
			every := 3
			if strings.HasPrefix(f, "crisis/") || strings.HasPrefix(f, "phi/") {
				every = 1
			}
			for i, r := range readJSONL[row](t, sharedData(t, f)) {
				if i%every == 0 {
					texts = append(texts, r.Text)
				}
			}
		}
	default:
		t.Fatalf("no corpus %q", name)
	}
	for i, s := range texts {
		ins = append(ins, goldenInput(i, s))
	}
	return ins
}

// TestAnalysesUnchanged holds the analyser's output on thousands of
// varied posts to the sums in goldenSums.
func TestAnalysesUnchanged(t *testing.T) {
	a := New()
	for _, name := range []string{"testdata", "generated", "shared"} {
		t.Run(name, func(t *testing.T) {
			ins := goldenCorpus(t, name)
			if len(ins) < 200 {
				t.Fatalf("only %d inputs", len(ins))
			}
			h := sha256.New()
			hashAnalyses(t, a, h, ins)
			if got := hex.EncodeToString(h.Sum(nil)); got != goldenSums[name] {
				t.Errorf("analyses of %d %s inputs hash to %s, want %s", len(ins), name, got, goldenSums[name])
			}
		})
	}
}
