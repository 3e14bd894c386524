package analyze

import (
	"fmt"
	"io/fs"
	"strconv"
)

// loadLexicon returns word hash -> polarity, from -3 to 3, of every word
// of the lexicon files and its inflections (see phrase.go). The files are
// read most trusted first. Within the care list a word listed twice takes
// its later score; a later file never overrides an earlier one (the
// general, life and Spanish lists only widen coverage).
func loadLexicon(fsys fs.FS) (map[uint64]int8, error) {
	m := map[uint64]int8{}
	for i, file := range []string{"lexicon_care.txt", "lexicon_general.txt", "lexicon_life.txt", "lexicon_es.txt"} {
		secs, err := readList(fsys, file)
		if err != nil {
			return nil, err
		}
		if err := singleWords(file, secs); err != nil {
			return nil, err
		}
		for _, s := range secs {
			score, err := strconv.Atoi(s.name)
			if err != nil || score == 0 || score < -3 || score > 3 {
				return nil, fmt.Errorf("word list %s: section [%s] is not a score from -3 to 3", file, s.name)
			}
			for _, w := range s.items {
				for _, f := range inflections(w) {
					h := hashString(fnvOffset, f)
					if _, ok := m[h]; ok && i > 0 {
						continue
					}
					m[h] = int8(score)
				}
			}
		}
	}
	return m, nil
}
