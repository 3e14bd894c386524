package guard

import (
	"sort"
	"strings"

	"earshot/internal/analyze"
)

// sentence is what the guard notes about one sentence of a reply: which
// of its word classes occur (see data/words.txt) and whether it names
// health terms.
type sentence struct {
	place, commerce, general, specific, care, dob, health bool
	// your: the sentence speaks to the reader ("your", "you").
	your bool
	// personal: the sentence speaks of what happened to one person:
	// sympathy, an event of care, or "he" or "she".
	personal bool
}

// isGeneral reports whether a sentence reads as general information or
// a public-health notice ("free flu shots this Saturday"): a general
// word and no word that makes it about one person's care.
func (s *sentence) isGeneral() bool { return s.general && !s.specific }

// careContext reports whether a sentence is about health care: a health
// term, a place of care, or care words outside a sentence about a
// flight, an order or a store.
func (s *sentence) careContext() bool {
	return s.health || s.place || (s.care && !s.commerce)
}

// reading is a reply as the guard reads it: its words with the sentence
// each is in, and what each sentence says.
type reading struct {
	text  string
	ws    []word
	sent  []int
	sents []sentence
	// yours marks the words that "your" stands before, within three
	// words, other than "your family" and the like.
	yours []bool
	// termAt marks the words of health terms (see markHealth).
	termAt []bool
	// general: some sentence of the reply reads as general information.
	general bool
	// m holds, for each word, the length of the longest phrase of each
	// word class that starts there.
	m [][numClasses]uint8
}

// at is the length of the phrase of class c at word i, 0 for none.
func (r *reading) at(c, i int) int { return int(r.m[i][c]) }

// read splits text into words and sentences and notes what each
// sentence says but its health terms (see markHealth).
func read(text string) *reading {
	r := &reading{text: text, ws: words(text)}
	for i := range r.ws {
		// Spanish "su" and "usted" speak to the reader as "your" and
		// "you" do.
		if w, ok := spanishYou[r.ws[i].w]; ok {
			r.ws[i].w = w
		}
	}
	r.sent = make([]int, len(r.ws))
	r.yours = make([]bool, len(r.ws))
	r.termAt = make([]bool, len(r.ws))
	r.m = make([][numClasses]uint8, len(r.ws))
	n := 0
	for i := range r.ws {
		if i > 0 && sentenceBreak(text, r.ws[i-1], r.ws[i]) {
			n++
		}
		r.sent[i] = n
	}
	r.sents = make([]sentence, n+1)
	for i := 0; i < len(r.ws); i++ {
		s := &r.sents[r.sent[i]]
		w := r.ws[i].w
		// "get your flu shot", "your family": advice, not one person's care.
		if w == "your" && !(i+1 < len(r.ws) && groupWord[r.ws[i+1].w]) && !r.advice(i) {
			for k := i + 1; k < len(r.ws) && k <= i+3 && r.sent[k] == r.sent[i]; k++ {
				r.yours[k] = true
			}
		}
		lex.matches(r.ws, i, &r.m[i])
		m := &r.m[i]
		// "Hi Ed": a name, not the emergency department ("the ED").
		if (w == "ed" || w == "er") && text[r.ws[i].start:r.ws[i].end] != strings.ToUpper(w) {
			m[cPlace], m[cRole], m[cQualifier] = 0, 0, 0
		}
		s.place = s.place || m[cPlace] > 0
		s.commerce = s.commerce || m[cCommerce] > 0
		s.general = s.general || m[cGeneral] > 0
		s.specific = s.specific || (m[cSpecific] > 0 && w != "your")
		// "our records", "a visit": the organisation's or anyone's.
		s.personal = s.personal || m[cSympathy] > 0 || m[cEvent] > 0 || m[cThird] > 0
		s.care = s.care || (m[cCare] > 0 && !(i > 0 && r.sent[i-1] == r.sent[i] && notOwned[r.ws[i-1].w]))
		if (w == "your" && !(i+1 < len(r.ws) && groupWord[r.ws[i+1].w]) && !r.advice(i)) || w == "you" || w == "you're" || w == "you've" || w == "you'll" {
			s.your = true
		}
		if dobWord[w] || (w == "date" && i+2 < len(r.ws) && r.ws[i+1].w == "of" && r.ws[i+2].w == "birth") || (w == "birth" && i+1 < len(r.ws) && r.ws[i+1].w == "date") {
			s.dob = true
		}
	}
	// A notice reads as one: a sentence with no word about one
	// person's care in a reply that gives general information ("RSV is
	// going around. Check that your family's vaccines are up to date.")
	// is general too.
	for i := range r.sents {
		if r.sents[i].isGeneral() {
			r.general = true
		}
	}
	return r
}

// general reports whether the sentence of word i reads as general
// information (see sentence.isGeneral), alone or in a reply that does.
func (r *reading) generalAt(i int) bool {
	s := &r.sents[r.sent[i]]
	return s.isGeneral() || (r.general && !s.specific && !s.your)
}

// groupWord follows "your" in words for people in general ("your
// family"), not one person's care.
var groupWord = map[string]bool{"family": true, "families": true, "household": true, "community": true, "loved": true, "friends": true, "neighbors": true, "neighbours": true}

// advice reports whether "your" at word i follows a verb of advice given
// to anyone ("Get your flu shot", "please book your checkup", "and
// know your numbers"), not "we'll get your prescription refilled".
func (r *reading) advice(i int) bool {
	v := i - 1
	if v < 0 || r.sent[v] != r.sent[i] {
		return false
	}
	// "talk to your doctor", "check with your plan".
	if (r.ws[v].w == "to" || r.ws[v].w == "with") && v > 0 && r.sent[v-1] == r.sent[i] && (adviceVerb[r.ws[v-1].w] || r.ws[v-1].w == "check" || r.ws[v-1].w == "speak") {
		return true
	}
	if !adviceVerb[r.ws[v].w] {
		return false
	}
	// "you can get your records": anyone can.
	if v >= 2 && r.ws[v-2].w == "you" && modalWord[r.ws[v-1].w] {
		return true
	}
	if v == 0 || r.sent[v-1] != r.sent[v] || strings.ContainsRune(r.text[r.ws[v-1].end:r.ws[v].start], ',') {
		return true
	}
	switch r.ws[v-1].w {
	case "please", "and", "to", "or", "always", "remember", "don't", "also", "then", "sure":
		return true
	}
	return false
}

// notOwned, before a care word, makes it nobody's in particular.
var notOwned = map[string]bool{"our": true, "a": true, "an": true, "any": true, "every": true, "each": true, "all": true, "virtual": true, "in-person": true}

// adviceVerb, before "your", makes advice to anyone ("get your flu
// shot", "know your numbers").
var adviceVerb = map[string]bool{"get": true, "book": true, "schedule": true, "protect": true, "know": true, "ask": true, "bring": true,
	"keep": true, "wash": true, "cover": true, "learn": true, "find": true, "choose": true, "compare": true, "pick": true, "talk": true, "tell": true, "take": true, "request": true}

// dobWord says a date in its sentence is a date of birth.
var dobWord = map[string]bool{"dob": true, "birthday": true, "birthdate": true, "born": true, "d.o.b": true, "turning": true, "turn": true,
	"nacimiento": true, "nacido": true, "nacida": true, "cumpleaños": true}

// spanishYou are the Spanish words read as "your" and "you".
var spanishYou = map[string]string{"su": "your", "sus": "your", "tu": "your", "tus": "your", "usted": "you"}

// sentenceBreak reports whether a sentence ends between words a and b:
// at '!', '?', ';', a line break, a colon, or a full stop followed by a
// space that does not end a title ("Dr.").
func sentenceBreak(text string, a, b word) bool {
	gap := text[a.end:b.start]
	// "2:45" is a time.
	if gap == ":" && isDigit(text[a.end-1]) && isDigit(text[b.start]) {
		return false
	}
	if strings.ContainsAny(gap, "!?;\n:") {
		return true
	}
	if i := strings.IndexByte(gap, '.'); i >= 0 && i+1 < len(gap) && (gap[i+1] == ' ' || gap[i+1] == '\t') {
		return !titleWord[a.w]
	}
	return false
}

// titleWord ends with a full stop that does not end the sentence.
var titleWord = map[string]bool{"dr": true, "mr": true, "mrs": true, "ms": true, "st": true, "mt": true, "jr": true, "sr": true, "no": true, "a.m": true, "p.m": true}

// wordAt returns the index of the word that holds byte offset off, or of
// the first word after it in the same gap; -1 past the last word.
func (r *reading) wordAt(off int) int {
	i := sort.Search(len(r.ws), func(i int) bool { return r.ws[i].end > off })
	if i == len(r.ws) {
		return -1
	}
	return i
}

// span is a marked stretch [start, end) of the text the guard read, with
// its kind (a Reason kind) and the PHI type it is reported as.
type span struct {
	start, end int
	kind, typ  string
	blocks     bool
}

// termSpans finds the guard's own health terms (data/terms.txt) in r,
// with the analyzer's (conditions, medications, procedures) given as
// found.
func (r *reading) termSpans(found []span) []span {
	out := found
	for i := 0; i < len(r.ws); i++ {
		found := false
		for _, k := range []int{cCondition, cMedication, cProcedure, cResult} {
			if n := r.at(k, i); n > 0 {
				out = append(out, span{start: r.ws[i].start, end: r.ws[i+n-1].end, kind: termKind[k], typ: termType[k], blocks: true})
				i += n - 1
				found = true
				break
			}
		}
		if k := termBySuffix(r.ws[i].w); !found && k >= 0 {
			out = append(out, span{start: r.ws[i].start, end: r.ws[i].end, kind: termKind[k], typ: termType[k], blocks: true})
		}
	}
	return out
}

// termSuffixes end the names of conditions, procedures and medicines
// that no list can hold whole ("tendonitis", "rhinoplasty",
// "valsartan"); no everyday English word of seven letters or more ends
// so, but for the few in notTerm.
var termSuffixes = []struct {
	suffix string
	class  int
}{
	{"itis", cCondition}, {"emia", cCondition}, {"pathy", cCondition}, {"osis", cCondition}, {"carcinoma", cCondition},
	{"sarcoma", cCondition}, {"melanoma", cCondition}, {"myeloma", cCondition}, {"blastoma", cCondition}, {"glioma", cCondition},
	{"ectomy", cProcedure}, {"otomy", cProcedure}, {"ostomy", cProcedure}, {"oscopy", cProcedure}, {"plasty", cProcedure},
	{"pril", cMedication}, {"olol", cMedication}, {"statin", cMedication}, {"sartan", cMedication}, {"cillin", cMedication},
	{"mycin", cMedication}, {"cycline", cMedication}, {"floxacin", cMedication}, {"azepam", cMedication}, {"azolam", cMedication},
	{"oxetine", cMedication}, {"prazole", cMedication}, {"lukast", cMedication}, {"gliptin", cMedication}, {"gliflozin", cMedication},
	{"glutide", cMedication}, {"codone", cMedication}, {"morphone", cMedication}, {"triptan", cMedication}, {"ciclovir", cMedication},
	{"dronate", cMedication}, {"tidine", cMedication}, {"parin", cMedication}, {"xaban", cMedication}, {"umab", cMedication}, {"imab", cMedication},
}

// notTerm are words that end like a health term and are not one.
var notTerm = map[string]bool{"diagnosis": true, "prognosis": true, "osmosis": true, "symbiosis": true, "hypnosis": true, "apotheosis": true, "sympathy": true, "empathy": true, "antipathy": true, "telepathy": true, "apathy": true}

// termBySuffix is the class of a health term known by its ending, -1
// for none.
func termBySuffix(w string) int {
	if len(w) < 7 || notTerm[w] {
		return -1
	}
	for _, t := range termSuffixes {
		if strings.HasSuffix(w, t.suffix) {
			return t.class
		}
	}
	return -1
}

// termKind and termType name a health term's kind of Reason and PHI
// type.
var (
	termKind = map[int]string{cCondition: "diagnosis", cMedication: "medication", cProcedure: "procedure", cResult: "results"}
	termType = map[int]string{cCondition: analyze.PHICondition, cMedication: analyze.PHIMedication, cProcedure: analyze.PHIProcedure, cResult: "result"}
)
