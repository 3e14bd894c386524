// Command phivocab writes internal/analyze/data/english_words.txt: the
// lower-case words that the VADER review and news snippets (MIT; "VADER
// ground truth, C.J. Hutto and E. Gilbert, ICWSM 2014") use as ordinary
// words. The PHI name finder takes a capitalised word in that list for a
// word, not a name ("Elevate account", "Gain Access").
//
// A word is kept when it is written in lower case at least --min times
// and more often in lower case than capitalised inside a sentence (so
// surnames and places written in lower case by chance stay out). Given
// names (given_names.txt, word_names.txt) are left out.
//
//	go run ./scripts/phivocab /work/shared/data/sentiment/vader_{amazon,movies,nyt}.jsonl /work/shared/data/sentiment/hospital_reviews.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", "internal/analyze/data/english_words.txt", "file to write")
	minCount := flag.Int("min", 2, "lower-case uses a word needs")
	data := flag.String("data", "internal/analyze/data", "folder of the name lists to leave out")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: phivocab [--out FILE] [--min N] SNIPPETS.jsonl...")
		os.Exit(2)
	}
	if err := run(*out, *data, *minCount, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "phivocab:", err)
		os.Exit(1)
	}
}

func run(out, data string, minCount int, files []string) error {
	lower, capital := map[string]int{}, map[string]int{}
	for _, path := range files {
		if err := count(path, lower, capital); err != nil {
			return err
		}
	}
	names := map[string]bool{}
	for _, f := range []string{"given_names.txt", "word_names.txt"} {
		if err := readNames(data+"/"+f, names); err != nil {
			return err
		}
	}
	var words []string
	for w, n := range lower {
		if n >= minCount && n > capital[w] && !names[w] {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create word list: %w", err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, header)
	for _, word := range words {
		fmt.Fprintln(w, word)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write word list: %w", err)
	}
	return f.Close()
}

const header = `# English words: lower-case words that the VADER review and news snippets
# (MIT; "VADER ground truth, C.J. Hutto and E. Gilbert, ICWSM 2014") use as
# ordinary words, written by scripts/phivocab (run it again rather than edit
# this file). Added to the common words, so a capitalised one is not taken
# for a name ("my Elevate account", "Gain Access").
# Syntax of this file (read by wordlists.go): one item a line; a line starting
# with "#" is a comment; "[name]" starts a section; a line in double quotes is
# a Go string (for an item starting with "#" or "[", or with spaces at its ends).

`

// count adds the words of one snippets file: lower-case uses, and
// capitalised uses that do not open a sentence.
func count(path string, lower, capital map[string]int) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open snippets: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if len(b) > 0 {
			var row struct {
				Text string `json:"text"`
			}
			if jerr := json.Unmarshal(b, &row); jerr != nil {
				return fmt.Errorf("%s line %d: %w", path, line, jerr)
			}
			countText(row.Text, lower, capital)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
}

// countText splits text into words of ASCII letters (apostrophes dropped,
// as the analyser's tokenizer does) and counts them.
func countText(text string, lower, capital map[string]int) {
	start := true // at the start of a sentence
	var word []byte
	flush := func() {
		if len(word) < 2 {
			word = word[:0]
			return
		}
		w := strings.ToLower(string(word))
		switch {
		case w == string(word):
			lower[w]++
		case !start:
			capital[w]++
		}
		start = false
		word = word[:0]
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			word = append(word, c)
		case c == '\'' && len(word) > 0:
		case c >= 0x80:
			// A word with other letters is not counted.
			for i+1 < len(text) && text[i+1] != ' ' {
				i++
			}
			word = word[:0]
			start = false
		default:
			flush()
			if c == '.' || c == '!' || c == '?' || c == '"' || c == ':' {
				start = true
			}
		}
	}
	flush()
}

// readNames adds the words of a name list to names.
func readNames(path string, names map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read names: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "[") {
			names[l] = true
		}
	}
	return nil
}
