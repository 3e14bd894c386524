package guard

import "earshot/internal/analyze"

// More sentence cues (see cues.go), for what a reply says of the
// reader's care in ways the cues there miss:
//
//   - a person of care assigned to the reader ("the care manager
//     assigned to you", "the case manager who works with you"): a
//     warning;
//   - membership of a program told by its length ("your second year in
//     our diabetes program", "six months into our prenatal program",
//     "welcome to year two of our asthma program"): a warning;
//   - what the reader's plan paid, owes or decided for them ("$400 left
//     on your deductible", "your copay should have been $30", "the
//     denial on your claim was overturned"): blocks;
//   - a date of birth written out in words ("your son's birthday is
//     March third, twenty eighteen"): blocks.

// moreCues finds the spans of the cues above in r; trade says the reply
// is about trade (a store, a flight, a bank), where none of them is
// care.
func (r *reading) moreCues(cs []cueSentence, trade bool) []span {
	if trade {
		return nil
	}
	var out []span
	for sn := range r.sents {
		c, s := &cs[sn], &r.sents[sn]
		if c.asked || s.commerce {
			continue
		}
		if sp, ok := r.assigned(sn); ok && !c.hedged {
			out = append(out, sp)
		} else if sp, ok := r.yourCareManager(sn); ok && !c.hedged {
			out = append(out, sp)
		}
		if sp, ok := r.programLength(sn, c); ok {
			out = append(out, sp)
		}
		if sp, ok := r.planDecision(sn); ok && !c.hedged && !s.isGeneral() {
			out = append(out, sp)
		}
		if sp, ok := r.birthInWords(sn); ok {
			out = append(out, sp)
		}
	}
	return out
}

// words of sentence sn, as indexes into r.ws.
func (r *reading) sentenceWords(sn int) (first, end int) {
	first = -1
	for i := range r.ws {
		if r.sent[i] == sn {
			if first < 0 {
				first = i
			}
			end = i + 1
		}
	}
	if first < 0 {
		return 0, 0
	}
	return first, end
}

// assigned finds a person of care tied to the reader by assignment
// ("our care manager assigned to you", "the care manager we assigned
// you", "the nurse who works with you"): the span from the role to
// "you".
func (r *reading) assigned(sn int) (span, bool) {
	first, end := r.sentenceWords(sn)
	for i := first; i < end; i++ {
		n := max(r.at(cRole, i), r.careManager(i))
		if n == 0 {
			continue
		}
		for k := i + n; k < end && k <= i+n+3; k++ {
			w := r.ws[k].w
			next := func(d int) string {
				if k+d < end {
					return r.ws[k+d].w
				}
				return ""
			}
			switch {
			case w == "assigned" && (next(1) == "you" || next(1) == "to" && (next(2) == "you" || next(2) == "your")):
				e := k + 1
				if next(1) == "to" {
					e = k + 2
				}
				return r.cue(i, e, "relationship", false), true
			case (w == "works" || w == "working") && next(1) == "with" && next(2) == "you":
				return r.cue(i, k+2, "relationship", false), true
			}
		}
	}
	return span{}, false
}

// careManagerWords are people a plan or hospital assigns to one member
// or patient, who no list of roles of care holds; careManagerHead are
// their last words.
var careManagerWords = [][]string{{"care", "manager"}, {"case", "manager"}, {"care", "coordinator"}, {"health", "coach"},
	{"social", "worker"}, {"patient", "navigator"}, {"nurse", "navigator"}, {"care", "navigator"}, {"nurse", "care", "manager"},
	{"nurse", "case", "manager"}, {"rn", "care", "manager"}, {"gestor", "de", "casos"}, {"coordinadora", "de", "cuidados"}}

// careManager is the number of words of a person of careManagerWords at
// word i, 0 for none.
func (r *reading) careManager(i int) int {
	for _, p := range careManagerWords {
		if i+len(p) > len(r.ws) || r.sent[i+len(p)-1] != r.sent[i] {
			continue
		}
		ok := true
		for k, w := range p {
			ok = ok && r.ws[i+k].w == w
		}
		if ok {
			return len(p)
		}
	}
	return 0
}

// yourCareManager finds "your" and, within two words of it, a person of
// careManagerWords ("your care manager", "your dedicated case
// manager"), not as advice to anyone ("ask your care manager"): the
// span from "your" to the role (a warning).
func (r *reading) yourCareManager(sn int) (span, bool) {
	first, end := r.sentenceWords(sn)
	for i := first; i < end; i++ {
		if r.ws[i].w != "your" || r.advice(i) || i > first && (r.ws[i-1].w == "ask" || r.ws[i-1].w == "contact" || r.ws[i-1].w == "call") {
			continue
		}
		for j := i + 1; j <= i+3 && j < end; j++ {
			if n := r.careManager(j); n > 0 {
				// "your care manager can help": anyone's.
				if k := j + n; k < end && modalWord[r.ws[k].w] {
					break
				}
				return r.cue(i, j+n-1, "relationship", false), true
			}
		}
	}
	return span{}, false
}

// durationWord is a unit of time a membership is told in; countWord
// counts it ("a year", "your second month", "year two").
var (
	durationWord = map[string]bool{"year": true, "years": true, "month": true, "months": true, "week": true, "weeks": true,
		"año": true, "años": true, "mes": true, "meses": true, "semanas": true}
	countWord = map[string]bool{"a": true, "one": true, "two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
		"eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true, "first": true, "second": true, "third": true, "fourth": true,
		"fifth": true, "sixth": true, "several": true, "few": true, "un": true, "dos": true, "tres": true, "primer": true, "segundo": true}
	// intoWord, after a length of time, puts it in a program ("a year
	// in our program", "six months into it").
	intoWord = map[string]bool{"in": true, "into": true, "of": true, "with": true, "en": true, "con": true}
	// stayingWord says the reader has kept on with something for a
	// length of time ("you've been in our program for a year").
	stayingWord = map[string]bool{"been": true, "being": true, "sticking": true, "stuck": true, "stayed": true, "staying": true, "spent": true, "completed": true}
)

// counted reports whether the duration at word i is counted: a number
// or count word before it, or after it ("year two").
func (r *reading) counted(i int) bool {
	if i > 0 && r.sent[i-1] == r.sent[i] {
		p := r.ws[i-1].w
		if countWord[p] || digits(p) == p && p != "" {
			return true
		}
	}
	if i+1 < len(r.ws) && r.sent[i+1] == r.sent[i] {
		n := r.ws[i+1].w
		return countWord[n] && n != "a" || digits(n) == n && n != ""
	}
	return false
}

// programLength finds membership of a program or plan told by its
// length, in a sentence to the reader ("you", "your", thanks or
// welcome) that does not hedge: a counted length of time set in the
// organisation's program ("your first year in our weight program") or
// a stay in it kept for one ("you've been in our smoking program for
// three months"). The span is the program's name (a warning).
func (r *reading) programLength(sn int, c *cueSentence) (span, bool) {
	s := &r.sents[sn]
	if c.hedges || !(s.your || c.kind) {
		return span{}, false
	}
	first, end := r.sentenceWords(sn)
	into, kept, staying := false, false, false
	progStart, progEnd := -1, -1
	for i := first; i < end; i++ {
		w := r.ws[i].w
		staying = staying || stayingWord[w]
		if durationWord[w] && r.counted(i) {
			// "a year in our program", "year two of our program".
			into = into || i+1 < end && (intoWord[r.ws[i+1].w] || countWord[r.ws[i+1].w])
			// "for three months", which counts only beside a stay.
			kept = kept || i-2 >= first && r.ws[i-2].w == "for"
		}
		if (w == "our" || w == "nuestro" || w == "nuestra") && progStart < 0 {
			for j := i + 1; j <= i+4 && j < end; j++ {
				if programWord[r.ws[j].w] {
					progStart, progEnd = i, j
					break
				}
			}
		}
	}
	long := into || kept && staying
	if !long || progStart < 0 {
		return span{}, false
	}
	return r.cue(progStart, progEnd, "relationship", false), true
}

// programWord names what a member or patient takes part in.
var programWord = map[string]bool{"program": true, "programs": true, "plan": true, "rehab": true, "practice": true, "clinic": true,
	"programa": true}

// planCoverageWord are words of what a health plan pays or decides;
// strongCoverage among them belong to health plans alone.
var (
	planCoverageWord = map[string]bool{"deductible": true, "copay": true, "co-pay": true, "coinsurance": true, "claim": true, "coverage": true,
		"covered": true, "authorization": true, "denial": true, "out-of-pocket": true, "eob": true, "reclamo": true, "deducible": true, "copago": true}
	strongCoverage = map[string]bool{"deductible": true, "copay": true, "co-pay": true, "coinsurance": true, "out-of-pocket": true, "eob": true,
		"deducible": true, "copago": true}
	// decisionWord says what became of a claim or what is left of a
	// benefit.
	decisionWord = map[string]bool{"approved": true, "denied": true, "overturned": true, "reprocessed": true, "rejected": true, "paid": true,
		"met": true, "left": true, "used": true, "covered": true, "aprobado": true, "negado": true, "pagado": true}
)

// planDecision finds what the reader's plan paid, owes or decided for
// them: a word of coverage that is the reader's ("your deductible",
// "your daughter's braces are covered") in a sentence with an amount of
// money or a decision, where the coverage is a health plan's (a word
// only health plans use, or a word of care in the sentence). The span
// is the coverage word (blocks).
func (r *reading) planDecision(sn int) (span, bool) {
	first, end := r.sentenceWords(sn)
	s := &r.sents[sn]
	at, strong, decided := -1, false, false
	for i := first; i < end; i++ {
		w := r.ws[i].w
		if planCoverageWord[w] && (r.yours[i] || w == "covered" && s.your) && at < 0 {
			at, strong = i, strongCoverage[w]
		}
		if decisionWord[w] || r.ws[i].start > 0 && r.text[r.ws[i].start-1] == '$' {
			decided = true
		}
	}
	if at < 0 || !decided || !(strong || s.careContext() || s.health) {
		return span{}, false
	}
	return span{start: r.ws[at].start, end: r.ws[at].end, kind: "coverage", typ: "coverage", blocks: true}, true
}

// monthWord are the months, English and Spanish.
var monthWord = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true}

// dayWord are days of a month written out, English and Spanish.
var dayWord = map[string]bool{"first": true, "second": true, "third": true, "fourth": true, "fifth": true, "sixth": true, "seventh": true,
	"eighth": true, "ninth": true, "tenth": true, "eleventh": true, "twelfth": true, "thirteenth": true, "fourteenth": true, "fifteenth": true,
	"sixteenth": true, "seventeenth": true, "eighteenth": true, "nineteenth": true, "twentieth": true, "thirtieth": true,
	"twenty-first": true, "twenty-second": true, "twenty-third": true, "twenty-fourth": true, "twenty-fifth": true, "twenty-sixth": true,
	"twenty-seventh": true, "twenty-eighth": true, "twenty-ninth": true, "thirty-first": true,
	"uno": true, "dos": true, "tres": true, "cuatro": true, "cinco": true, "seis": true, "siete": true, "ocho": true, "nueve": true, "diez": true}

// birthInWords finds a date of birth told in words in a sentence about
// the reader's or a relative's birth ("your son's date of birth is
// March third", "el tres de marzo"): a month and a day beside it. The
// span runs from the first to the last of them (blocks).
func (r *reading) birthInWords(sn int) (span, bool) {
	s := &r.sents[sn]
	if !s.dob || !s.your {
		return span{}, false
	}
	first, end := r.sentenceWords(sn)
	for i := first; i < end; i++ {
		w := r.ws[i].w
		if !monthWord[w] && !mes[w] {
			continue
		}
		for k := max(first, i-3); k < end && k <= i+2; k++ {
			if k == i {
				continue
			}
			d := r.ws[k].w
			if dayWord[d] || d != "" && digits(d) == d && len(d) <= 2 && atoi(d) >= 1 && atoi(d) <= 31 {
				return span{start: r.ws[min(i, k)].start, end: r.ws[max(i, k)].end, kind: "dob", typ: analyze.PHIDate, blocks: true}, true
			}
		}
	}
	return span{}, false
}
