package analyze

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// The analyser's word lists live in data/*.txt, each with a header saying
// what it holds and how it is used. They are read once, when the first
// Analyzer is made (see stdLexicons).
//
//go:embed data/*.txt
var wordData embed.FS

// wordLists returns the embedded data folder.
func wordLists() fs.FS {
	sub, err := fs.Sub(wordData, "data")
	if err != nil {
		panic("analyze: embedded word lists: " + err.Error()) // the embed pattern guarantees data/
	}
	return sub
}

// section is a named part of a word list file; a file without "[name]"
// lines is one section named "".
type section struct {
	name  string
	items []string
}

// readList reads and parses the word list file name in fsys.
func readList(fsys fs.FS, name string) ([]section, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("word list %s: %w", name, err)
	}
	return parseList(name, src)
}

// parseList parses a word list: one item a line, surrounding space
// trimmed; blank lines and lines starting with "#" skipped; "[name]"
// starts a section; a line in double quotes is a Go string literal, for an
// item that starts with "#", "[" or '"' or has spaces at its ends. A file
// with sections has no item before the first; no section is empty or named
// twice.
func parseList(file string, src []byte) ([]section, error) {
	var secs []section
	sectioned := false
	for n, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			name, ok := strings.CutSuffix(line[1:], "]")
			if !ok || name == "" || strings.ContainsAny(name, " \t[]") {
				return nil, fmt.Errorf("word list %s line %d: bad section header %q", file, n+1, line)
			}
			if len(secs) > 0 && !sectioned {
				return nil, fmt.Errorf("word list %s line %d: section %q after items outside any section", file, n+1, name)
			}
			for _, s := range secs {
				if s.name == name {
					return nil, fmt.Errorf("word list %s line %d: section %q named twice", file, n+1, name)
				}
			}
			if len(secs) > 0 && len(secs[len(secs)-1].items) == 0 {
				return nil, fmt.Errorf("word list %s line %d: section %q is empty", file, n+1, secs[len(secs)-1].name)
			}
			sectioned = true
			secs = append(secs, section{name: name})
			continue
		}
		if strings.HasPrefix(line, `"`) {
			item, err := strconv.Unquote(line)
			if err != nil {
				return nil, fmt.Errorf("word list %s line %d: bad quoted item %s", file, n+1, line)
			}
			line = item
		}
		if line == "" || strings.ContainsRune(line, '\t') {
			return nil, fmt.Errorf("word list %s line %d: bad item %q", file, n+1, line)
		}
		if len(secs) == 0 {
			secs = append(secs, section{})
		}
		secs[len(secs)-1].items = append(secs[len(secs)-1].items, line)
	}
	if len(secs) == 0 || len(secs[len(secs)-1].items) == 0 {
		return nil, fmt.Errorf("word list %s: no items at the end", file)
	}
	return secs, nil
}

// readPhrases reads a file of items without sections.
func readPhrases(fsys fs.FS, name string) ([]string, error) {
	secs, err := readList(fsys, name)
	if err != nil {
		return nil, err
	}
	if len(secs) != 1 || secs[0].name != "" {
		return nil, fmt.Errorf("word list %s: has sections, wants none", name)
	}
	return secs[0].items, nil
}

// readWords reads a file of single words without sections.
func readWords(fsys fs.FS, name string) ([]string, error) {
	words, err := readPhrases(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := singleWords(name, []section{{items: words}}); err != nil {
		return nil, err
	}
	return words, nil
}

// singleWords reports an item with a space in secs, whose lists are of
// words rather than phrases.
func singleWords(file string, secs []section) error {
	for _, s := range secs {
		for _, it := range s.items {
			if strings.ContainsRune(it, ' ') {
				return fmt.Errorf("word list %s [%s]: %q is not one word", file, s.name, it)
			}
		}
	}
	return nil
}

// sectionsNamed checks that secs are exactly the sections want, in that
// order, and returns their items in that order.
func sectionsNamed(file string, secs []section, want []string) ([][]string, error) {
	if len(secs) != len(want) {
		return nil, fmt.Errorf("word list %s: %d sections, want %d (%s)", file, len(secs), len(want), strings.Join(want, ", "))
	}
	out := make([][]string, len(secs))
	for i, s := range secs {
		if s.name != want[i] {
			return nil, fmt.Errorf("word list %s: section %d is [%s], want [%s]", file, i+1, s.name, want[i])
		}
		out[i] = s.items
	}
	return out, nil
}
