package analyze

import (
	"fmt"
	"io/fs"
)

// healthVocab matches the conditions, medications and procedures of
// data/health.txt; a hit's label indexes types.
type healthVocab struct {
	set   *phraseSet
	types []string
}

// loadHealthVocab compiles data/health.txt, whose sections are PHI types.
func loadHealthVocab(fsys fs.FS) (healthVocab, error) {
	const file = "health.txt"
	v := healthVocab{set: newPhraseSet()}
	secs, err := readList(fsys, file)
	if err != nil {
		return v, err
	}
	groups, err := sectionsNamed(file, secs, []string{PHICondition, PHIMedication, PHIProcedure})
	if err != nil {
		return v, err
	}
	for i, g := range groups {
		v.types = append(v.types, secs[i].name)
		for _, p := range g {
			if err := v.set.add(p, uint16(i)); err != nil {
				return v, fmt.Errorf("word list %s [%s]: %w", file, secs[i].name, err)
			}
		}
	}
	return v, nil
}
