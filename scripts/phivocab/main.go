// Command phivocab writes internal/analyze/data/english_words.txt: the
// lower-case words that the VADER review and news snippets (MIT; "VADER
// ground truth, C.J. Hutto and E. Gilbert, ICWSM 2014") use as ordinary
// words. The PHI name finder takes a capitalised word in that list for a
// word, not a name ("Elevate account", "Gain Access").
//
// A word is kept when it is written in lower case at least --min times
// and more often in lower case than capitalised inside a sentence (so
// surnames and places written in lower case by chance stay out). With
// --dict, the words of a spelling dictionary (one a line, such as SCOWL's
// /usr/share/dict/american-english from the Debian package wamerican)
// are added too: those of three letters or more that it lists only in
// lower case ("eel" but not "bill", which it also lists as "Bill"). Given
// names (given_names.txt, word_names.txt) are left out.
//
//	apt-get install wamerican
//	go run ./scripts/phivocab --dict /usr/share/dict/american-english \
//		/work/shared/data/sentiment/vader_{amazon,movies,nyt}.jsonl /work/shared/data/sentiment/hospital_reviews.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", "internal/analyze/data/english_words.txt", "file to write")
	minCount := flag.Int("min", 2, "lower-case uses a word needs")
	data := flag.String("data", "internal/analyze/data", "folder of the name lists to leave out")
	dict := flag.String("dict", "", "spelling dictionary whose lower-case-only words are added")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: phivocab [--out FILE] [--min N] SNIPPETS.jsonl...")
		os.Exit(2)
	}
	if err := run(*out, *data, *dict, *minCount, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "phivocab:", err)
		os.Exit(1)
	}
}

func run(out, data, dict string, minCount int, files []string) error {
	lower, capital := map[string]int{}, map[string]int{}
	for _, path := range files {
		if strings.Contains(filepath.Base(path), "airline") {
			return fmt.Errorf("%s is evaluation only (CC BY-NC-SA): no shipped list may come from it", path)
		}
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
	keep := map[string]bool{}
	for w, n := range lower {
		if n >= minCount && n > capital[w] && !names[w] {
			keep[w] = true
		}
	}
	if dict != "" {
		if err := addDictionary(dict, names, keep); err != nil {
			return err
		}
	}
	words := make([]string, 0, len(keep))
	for w := range keep {
		words = append(words, w)
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
# ordinary words, and the words that SCOWL's American English dictionary
# lists only in lower case, written by scripts/phivocab (run it again rather
# than edit this file). Added to the common words, so a capitalised one is
# not taken for a name ("my Elevate account", "Gain Access", "Eel and
# Shrimp").
# SCOWL: Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy,
# modify, distribute and sell these word lists, the associated scripts, the
# output created from the scripts, and its documentation for any purpose is
# hereby granted without fee, provided that the above copyright notice
# appears in all copies and that both that copyright notice and this
# permission notice appear in supporting documentation. Kevin Atkinson makes
# no representations about the suitability of this array for any purpose.
# It is provided "as is" without express or implied warranty. (The other
# notices of SCOWL's parts are in its README and in Debian's
# /usr/share/doc/wamerican/copyright; all grant the same freedoms.)
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

// addDictionary adds to keep the words of a spelling dictionary that it
// lists only in lower case, of three ASCII letters or more.
func addDictionary(path string, names, keep map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read dictionary: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	listed := make(map[string]bool, len(lines))
	for _, l := range lines {
		listed[strings.TrimSpace(l)] = true
	}
	for w := range listed {
		if len(w) < 3 || names[w] || listed[strings.ToUpper(w[:1])+w[1:]] {
			continue
		}
		letters := true
		for i := 0; i < len(w); i++ {
			letters = letters && w[i] >= 'a' && w[i] <= 'z'
		}
		if letters {
			keep[w] = true
		}
	}
	return nil
}
