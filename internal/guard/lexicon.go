package guard

import (
	_ "embed"
	"slices"
	"strings"
)

//go:embed data/terms.txt
var termsFile string

//go:embed data/words.txt
var wordsFile string

//go:embed data/roles.txt
var rolesFile string

// Word classes: the sections of data/words.txt, then the kinds of
// health term of data/terms.txt.
const (
	cRelative = iota
	cCare
	cCoverage
	cPlace
	cCommerce
	cGeneral
	cSpecific
	cConfirm
	cRelcare
	cQualifier
	cCondition
	cMedication
	cProcedure
	cResult
	cPrivate
	cRole
	cSympathy
	cEvent
	cThird
	cStatus
	cUnit
	cStayed
	cMeasure
	cFinding
	cWhen
	numClasses
)

// classNames are the section names of the classes, in order.
var classNames = [numClasses]string{"relative", "care", "coverage", "place", "commerce", "general", "specific", "confirm",
	"relcare", "qualifier", "condition", "medication", "procedure", "result", "private", "role", "sympathy", "event", "third",
	"status", "unit", "stayed", "measure", "finding", "when"}

// phrase is one entry of a word list: its words and its class.
type phrase struct {
	words []string
	class uint8
}

// lexicon holds every phrase of the guard's word lists by its first
// word, so that one look-up finds all that may start at a word.
type lexicon map[string][]phrase

// matches sets, for each class, the number of words of the longest
// phrase of the class that starts at ws[i] (0 for none).
func (l lexicon) matches(ws []word, i int, out *[numClasses]uint8) {
	for _, ph := range l[ws[i].w] {
		n := len(ph.words)
		if n <= int(out[ph.class]) || i+n > len(ws) {
			continue
		}
		ok := true
		for k := 1; k < n; k++ {
			if ws[i+k].w != ph.words[k] {
				ok = false
				break
			}
		}
		if ok {
			out[ph.class] = uint8(n)
		}
	}
}

// match is the length of the longest phrase of class c at ws[i].
func (l lexicon) match(ws []word, i int, c int) int {
	var m [numClasses]uint8
	l.matches(ws, i, &m)
	return int(m[c])
}

// loadLexicon reads data files of "[section]" headers and phrases, one
// a line, with '#' comments, into a lexicon; every section must be a
// class. The files are embedded and checked by the tests, so a phrase
// outside a known section is a programming error.
func loadLexicon(files ...string) lexicon {
	out := lexicon{}
	for _, file := range files {
		class := -1
		for line := range strings.Lines(file) {
			line = strings.TrimSpace(line)
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
				continue
			case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
				class = slices.Index(classNames[:], line[1:len(line)-1])
				if class < 0 {
					panic("guard: unknown word class " + line)
				}
				continue
			case class < 0:
				panic("guard: phrase before any section: " + line)
			}
			// A reply is read folded (see Fold): "afiliación" as
			// "afiliacion"; so are the lists.
			ws := strings.Fields(strings.ToLower(Fold(line).Text))
			out[ws[0]] = append(out[ws[0]], phrase{words: ws, class: uint8(class)})
		}
	}
	return out
}

// loadLines reads a data file of one lower-case item a line, with '#'
// comments, into a set.
func loadLines(file string) map[string]bool {
	out := map[string]bool{}
	for line := range strings.Lines(file) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[strings.ToLower(line)] = true
		}
	}
	return out
}

// The guard's word lists, read once from their data files and never
// changed.
var (
	lex      = loadLexicon(wordsFile, termsFile)
	roleMail = loadLines(rolesFile)
)
