package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/internal/wordvec"
)

// fakePackage writes a package JSON in wink's layout under
// dir/node_modules and returns dir. Its words, most frequent first, are
// words; each vector is (i+1, -(i+1)) with its norm and index after.
func fakePackage(t *testing.T, words []string) string {
	t.Helper()
	dir := t.TempDir()
	pkg := filepath.Join(dir, "node_modules", packageName)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	vectors := map[string][]float64{}
	for i, w := range words {
		x := float64(i + 1)
		vectors[w] = []float64{x, -x, x * 1.4142, float64(i)}
	}
	data, err := json.Marshal(map[string]any{
		"precision": 8, "l2NormIndex": 2, "wordIndex": 3, "size": len(words), "dimensions": 2,
		"words": words, "vectors": vectors, "unkVector": []float64{0, 0, -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, packageName+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunKeepsTheMostFrequentWordsAndListWords(t *testing.T) {
	npm := fakePackage(t, []string{"the", ",", "of", "2018", "Paris", "pills", "rare", "overdosed", "zebra"})
	lists := t.TempDir()
	list := "# a comment with zebra\n[section]\noverdosed|pills\n\"can't\"\n"
	if err := os.WriteFile(filepath.Join(lists, "a.txt"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "v.bin")
	var stdout strings.Builder
	if err := run([]string{"-npm", npm, "-lists", lists, "-top", "2", "-out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := wordvec.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	// The top 2 with a letter and not upper-case (the, of), then the
	// list's words in frequency order; zebra is only in a comment.
	var got []string
	for i := range tab.Len() {
		got = append(got, tab.Word(i))
	}
	if want := "the of pills overdosed"; strings.Join(got, " ") != want {
		t.Errorf("vocabulary %q, want %q", strings.Join(got, " "), want)
	}
	v := make([]float32, tab.Dim())
	tab.Vector(2, v) // pills, the sixth word: (6, -6)
	if v[0] != 6 || v[1] != -6 {
		t.Errorf("pills = %v, want [6 -6]", v)
	}
	for _, line := range []string{"vocabulary: 4 words (2 most frequent with a letter, 2 more from", "mean cosine 1.000000"} {
		if !strings.Contains(stdout.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, stdout.String())
		}
	}
}

func TestRunRefusesAPackageWhoseIndicesDisagree(t *testing.T) {
	npm := fakePackage(t, []string{"the", "of"})
	path := filepath.Join(npm, "node_modules", packageName, packageName+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Swap the order of the word list but not the recorded indices.
	data = []byte(strings.Replace(string(data), `"words":["the","of"]`, `"words":["of","the"]`, 1))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err = run([]string{"-npm", npm, "-lists", t.TempDir(), "-out", filepath.Join(t.TempDir(), "v.bin")}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "index") {
		t.Errorf("run = %v, want an error about the word's index", err)
	}
}
