package guard

import (
	"strings"

	"earshot/internal/analyze"
)

// Sentence cues: what a reply says of the reader's care without the
// words the rules of rules.go look for. A sentence to the reader (it
// says "you" or "your", or it opens the reply with a greeting) that
// pairs a cue of care or membership with what the cue is about confirms
// it:
//
//   - status: membership or patient status however it is put ("enrolled
//     in our program", "one of our patients", "your coverage with us"):
//     a warning, outside a reply about trade (a store, a flight, a bank);
//   - a stay told without the word ("while you were with us", "your
//     discharge papers", "the staff on 4 North"): a warning;
//   - a result: a test or measure and what it found ("your screen needs
//     to be repeated", "your numbers improved"): blocks;
//   - an appointment: a person or place of care and a day or time
//     ("Thursday 2:45 with the dermatologist"): blocks.
//
// A sentence that hedges ("if", "you can", "anyone", opening hours) or
// asks for a private message gives no cue: it is general information or
// a move to private.

// cueSentence is what cues notes about one sentence.
type cueSentence struct {
	addressed, kind, sorry, hedged, asked bool
	// hedges: the sentence has a word of hedgeWord (not only "you
	// can").
	hedges bool
}

// cueSentences notes, for each sentence of r, whether it is addressed to
// the reader, says thanks or sorry, hedges, or asks for a message.
func (r *reading) cueSentences() []cueSentence {
	out := make([]cueSentence, len(r.sents))
	greeted := len(r.ws) > 1 && greetWord[r.ws[0].w]
	for i, w := range r.ws {
		c := &out[r.sent[i]]
		s := &r.sents[r.sent[i]]
		c.addressed = c.addressed || s.your || (greeted && r.sent[i] == 0) || w.w == "le"
		// "welcome to the practice", not "cards are welcome".
		c.kind = c.kind || (kindWord[w.w] && (w.w != "welcome" || i+1 < len(r.ws) && (r.ws[i+1].w == "to" || r.ws[i+1].w == "back"))) || r.at(cSympathy, i) > 0
		c.sorry = c.sorry || (r.at(cSympathy, i) > 0 && w.w != "congrats" && w.w != "congratulations")
		c.asked = c.asked || r.at(cPrivate, i) > 0
		c.hedges = c.hedges || hedgeWord[w.w]
		if hedgeWord[w.w] || (w.w == "you" || w.w == "anyone") && i+1 < len(r.ws) && modalWord[r.ws[i+1].w] {
			c.hedged = true
		}
	}
	return out
}

// saysLe reports whether sentence sn speaks to the reader as "le" (to
// you, in Spanish, where "usted" is often left out).
func (r *reading) saysLe(sn int) bool {
	for i, w := range r.ws {
		if r.sent[i] == sn && w.w == "le" {
			return true
		}
	}
	return false
}

// kindWord says thanks or welcome to one person.
var kindWord = map[string]bool{"thanks": true, "thank": true, "welcome": true, "gracias": true, "congrats": true, "congratulations": true}

// hedgeWord makes a sentence general: a condition, everyone, opening
// hours.
var hedgeWord = map[string]bool{"if": true, "anyone": true, "everyone": true, "hours": true, "open": true, "closed": true, "visiting": true,
	"visitors": true, "hiring": true, "usually": true, "typically": true, "generally": true, "most": true, "si": true, "whenever": true,
	"walk-in": true, "walk-ins": true, "daily": true, "weekdays": true, "weekends": true, "accepts": true, "lets": true, "allows": true,
	"opens": true, "reopens": true, "opening": true}

// modalWord after "you" makes a sentence general ("you can request your
// records online").
var modalWord = map[string]bool{"can": true, "may": true, "might": true, "could": true}

// cues finds the spans of the sentence cues (see above).
func (r *reading) cues() []span {
	cs := r.cueSentences()
	trade := false
	for _, s := range r.sents {
		trade = trade || s.commerce
	}
	var out []span
	for i := 0; i < len(r.ws); i++ {
		sn := r.sent[i]
		s, c := &r.sents[sn], &cs[sn]
		if c.asked || (s.isGeneral() && !s.your) {
			continue
		}
		// Status is said in a sentence that goes on to what the reader
		// may do ("as one of our patients, you can use the kiosks").
		// Spanish says "as a member" to the reader without "usted"
		// ("como miembro de nuestro plan, tiene acceso", "desde que es
		// paciente nuestro, le atendemos").
		if n := r.at(cStatus, i); n > 0 && !trade && (s.your || c.kind || r.ws[i].w == "como" || r.saysLe(sn)) && !c.hedges && !r.notStatus(i+n) {
			out = append(out, r.cue(i, i+n-1, "relationship", false))
			i += n - 1
			continue
		}
		if c.hedged {
			continue
		}
		// "you're a patient", "as a patient, you deserve better", not
		// "every patient" or "the patient portal".
		if patientWord[r.ws[i].w] && !trade && s.your && !r.notStatus(i+1) && !(i > 0 && r.sent[i-1] == sn && anyPatient[r.ws[i-1].w]) {
			out = append(out, r.cue(i, i, "relationship", false))
			continue
		}
		if memberWord[r.ws[i].w] && !trade && s.your && r.ours(i) && !r.notStatus(i+1) {
			out = append(out, r.cue(i, i, "relationship", false))
			continue
		}
		if n := r.yourRole(i); n > 0 && !s.commerce {
			out = append(out, r.cue(i, i+n-1, "relationship", false))
			i += n - 1
			continue
		}
		if n := r.at(cStayed, i); n > 0 && !trade {
			out = append(out, r.cue(i, i+n-1, "admission", false))
			i += n - 1
			continue
		}
		if n := r.unit(i); n > 0 && !trade && (s.your || c.sorry) {
			out = append(out, r.cue(i, i+n-1, "admission", false))
			i += n - 1
			continue
		}
		if r.dose(i) && s.your {
			out = append(out, r.cue(i, i, "medication", true))
			continue
		}
		if n := r.at(cMeasure, i); n > 0 && !s.commerce && c.addressed {
			if e := r.finding(i, i+n); e >= 0 {
				out = append(out, r.cue(i, e, "results", true))
				i = e
				continue
			}
		}
	}
	for sn := range r.sents {
		if c := &cs[sn]; c.addressed && !c.asked && !c.hedged && !r.sents[sn].commerce && !r.sents[sn].isGeneral() {
			if sp, ok := r.appointment(sn); ok {
				out = append(out, sp)
			}
		}
		if sp, ok := r.tenure(sn, &cs[sn]); ok && !trade {
			out = append(out, sp)
		}
	}
	return append(out, r.moreCues(cs, trade)...)
}

// tenure finds, in sentence sn, membership told by how long it has
// lasted: a sentence to the reader ("you", thanks, "como paciente")
// that says since when or for how long ("since 2009", "for seven
// years", "desde hace diez años") and names the organisation's plan or
// place of care ("our family practice", "with us" beside a plan). The
// span is the plan or place (a warning).
func (r *reading) tenure(sn int, c *cueSentence) (span, bool) {
	s := &r.sents[sn]
	if c.asked || c.hedges || s.commerce || s.isGeneral() && !s.your {
		return span{}, false
	}
	long, told, withUs, care := false, s.your || c.kind, false, -1
	first, last := -1, -1
	for i := 0; i < len(r.ws); i++ {
		if r.sent[i] != sn {
			continue
		}
		w := r.ws[i].w
		prev := ""
		if i > 0 && r.sent[i-1] == sn {
			prev = r.ws[i-1].w
		}
		switch {
		case tenureWord[w], w == "long" && (prev == "so" || prev == "for"):
			long = true
		case w == "us" && prev == "with":
			withUs = true
		case r.at(cStatus, i) > 0:
			told = true
		case kindWord[prev] && w == "to":
			// "congrats to Nurse Kelly on 30 years with us": thanks to
			// someone else.
			return span{}, false
		}
		if ownedCare[w] || r.at(cPlace, i) > 0 {
			care = i
		}
		if (w == "our" || w == "nuestro" || w == "nuestra") && first < 0 {
			for j := i + 1; j <= i+3 && j < len(r.ws) && r.sent[j] == sn; j++ {
				if ownedCare[r.ws[j].w] || r.at(cPlace, j) > 0 || r.at(cRole, j) > 0 {
					first, last = i, j
					break
				}
			}
		}
	}
	if first < 0 && withUs && care >= 0 {
		first, last = care, care
	}
	if !long || !told || first < 0 {
		return span{}, false
	}
	return span{start: r.ws[first].start, end: r.ws[last].end, kind: "relationship", typ: "relationship"}, true
}

// tenureWord says how long something has lasted.
var tenureWord = map[string]bool{"since": true, "desde": true, "years": true, "decade": true, "decades": true, "anos": true, "años": true, "yrs": true}

// notStatus reports whether the word at i makes a status phrase a name
// of a service ("our patient relations team", "our patient portal").
func (r *reading) notStatus(i int) bool {
	return i < len(r.ws) && r.sent[i] == r.sent[i-1] && serviceWord[r.ws[i].w]
}

// serviceWord names a service after "patient" or "plan".
var serviceWord = map[string]bool{"relations": true, "experience": true, "advocate": true, "advocates": true, "portal": true, "services": true,
	"safety": true, "financial": true, "access": true, "advocacy": true, "navigator": true, "navigators": true, "line": true, "options": true, "documents": true}

// yourRole is the number of words from "your" at word i to a person of
// care ("your cardiologist", "your primary care doctor"), 0 for none or
// for advice to anyone ("talk to your doctor").
func (r *reading) yourRole(i int) int {
	if r.ws[i].w != "your" || r.advice(i) {
		return 0
	}
	if i > 0 && r.sent[i-1] == r.sent[i] {
		switch r.ws[i-1].w {
		case "to", "with", "ask", "see", "call", "tell", "contact", "from", "by":
			return 0
		}
	}
	for j := i + 1; j <= i+2 && j < len(r.ws) && r.sent[j] == r.sent[i]; j++ {
		n := r.at(cRole, j)
		if w := r.ws[j].w; n == 0 && (strings.HasSuffix(w, "ologist") || strings.HasSuffix(w, "iatrist")) {
			// "your nephrologist": a specialist no list holds.
			n = 1
		}
		if n > 0 && (personRole[r.ws[j+n-1].w] || n == 1 && r.at(cRole, j) == 0) {
			// "your doctor can help you decide": anyone's doctor.
			if k := j + n; k < len(r.ws) && r.sent[k] == r.sent[i] && (modalWord[r.ws[k].w] || r.ws[k].w == "should" || r.ws[k].w == "will" && k+1 < len(r.ws) && r.ws[k+1].w == "be") {
				return 0
			}
			return j + n - i
		}
		if r.at(cQualifier, j) == 0 {
			return 0
		}
	}
	return 0
}

// personRole are the last words of a role that is one person who cares
// for the reader.
var personRole = map[string]bool{"doctor": true, "dr": true, "physician": true, "psychiatrist": true, "psychologist": true, "therapist": true, "surgeon": true,
	"specialist": true, "oncologist": true, "cardiologist": true, "neurologist": true, "dermatologist": true, "allergist": true, "audiologist": true,
	"pediatrician": true, "obstetrician": true, "nurses": true, "doctors": true, "gynecologist": true, "urologist": true, "midwife": true, "physiotherapist": true, "pcp": true, "care": true, "ob": true,
	"nurse": true, "provider": true, "medico": true, "medica": true, "doctora": true, "pediatra": true, "ginecologa": true, "ginecologo": true}

// memberWord says someone belongs to a plan, a program or a practice;
// with "with us", "through us" or "our" and a place of care or a plan in
// a sentence to the reader, it says the reader does ("your enrollment
// with our plan", "a client of our counseling center").
var memberWord = map[string]bool{"enrollment": true, "enrolled": true, "member": true, "membership": true, "eligibility": true, "eligible": true,
	"coverage": true, "covered": true, "insurance": true, "insurer": true, "policy": true, "patient": true, "client": true, "signed": true,
	"assigned": true, "switched": true, "added": true, "joined": true, "registered": true, "choosing": true, "chose": true, "seeing": true, "trusting": true, "plan": true, "part": true, "insured": true}

// patientWord says someone is a patient; anyPatient before it makes it
// anyone.
var (
	patientWord = map[string]bool{"patient": true, "patients": true, "paciente": true, "pacientes": true, "enrollee": true, "beneficiary": true}
	anyPatient  = map[string]bool{"every": true, "all": true, "any": true, "other": true, "each": true, "no": true, "fellow": true, "new": true, "future": true, "more": true, "many": true}
)

// ours reports whether the sentence of word i says the organisation's:
// "with us", "through us", "here", or "our" before a plan or a place
// of care.
func (r *reading) ours(i int) bool {
	for k := range r.ws {
		if r.sent[k] != r.sent[i] {
			continue
		}
		switch w := r.ws[k].w; {
		case (w == "with" || w == "through") && k+1 < len(r.ws) && r.ws[k+1].w == "us":
			return true
		case w == "our":
			for j := k + 1; j <= k+3 && j < len(r.ws) && r.sent[j] == r.sent[i]; j++ {
				if ownedCare[r.ws[j].w] || r.at(cPlace, j) > 0 || r.at(cRole, j) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// ownedCare, after "our", is a plan or a place of care.
var ownedCare = map[string]bool{"plan": true, "plans": true, "practice": true, "clinic": true, "clinics": true, "program": true, "center": true,
	"office": true, "hospital": true, "team": true, "medicaid": true, "medicare": true, "hmo": true, "ppo": true, "network": true,
	"clinica": true, "clínica": true, "consultorio": true, "programa": true}

// cue is the span of words i to e of the given kind.
func (r *reading) cue(i, e int, kind string, blocks bool) span {
	typ := "relationship"
	switch kind {
	case "results":
		typ = "result"
	case "medication":
		typ = analyze.PHIMedication
	}
	return span{start: r.ws[i].start, end: r.ws[e].end, kind: kind, typ: typ, blocks: blocks}
}

// unit is the number of words of a unit of a hospital at word i ("the
// NICU", "the cardiac unit", "the maternity floor", "4 North"), 0 for
// none.
func (r *reading) unit(i int) int {
	if n := r.at(cUnit, i); n > 0 {
		return n
	}
	w := r.ws[i].w
	if i+1 < len(r.ws) && r.sent[i+1] == r.sent[i] {
		switch next := r.ws[i+1].w; {
		case (w == "room" || w == "bed") && len(digits(next)) >= 2 && len(digits(next)) == len(next):
			// "room 412".
			return 2
		case unitWord[next] && (r.at(cPlace, i) > 0 || r.at(cRole, i) > 0 || r.at(cQualifier, i) > 0 || unitKind[w] || r.termAt[i]):
			return 2
		case len(w) <= 2 && len(digits(w)) == len(w) && compass[next] && !(i+2 < len(r.ws) && streetWord[r.ws[i+2].w]):
			return 2
		}
	}
	return 0
}

// unitWord names part of a hospital after what it is for ("cardiac
// unit"); unitKind are words it may be for that no other list holds;
// compass and streetWord tell "4 North" from "5 West Street".
var (
	unitWord = map[string]bool{"unit": true, "floor": true, "wing": true, "ward": true}
	unitKind = map[string]bool{"psych": true, "trauma": true, "orthopedic": true, "ortho": true, "transplant": true, "burn": true, "stroke": true, "step-down": true, "mother-baby": true, "behavioral": true, "medical": true, "surgical": true, "oncology": true, "cardiac": true, "rehab": true, "maternity": true, "pediatric": true, "cancer": true,
		"second": true, "third": true, "fourth": true, "fifth": true, "sixth": true, "seventh": true, "eighth": true, "ninth": true, "tenth": true}
	compass    = map[string]bool{"north": true, "south": true, "east": true, "west": true}
	streetWord = map[string]bool{"st": true, "street": true, "ave": true, "avenue": true, "rd": true, "road": true, "main": true, "blvd": true, "drive": true, "dr": true}
)

// finding is the last word of a finding ("came back clean") from word
// j to the end of the sentence of word i, whose measure ("your scan")
// is the reader's: "your" within three words before it or after it.
// -1 for none.
func (r *reading) finding(i, j int) int {
	sn := r.sent[i]
	yours := r.yours[i]
	for k := j; k < len(r.ws) && r.sent[k] == sn; k++ {
		if r.ws[k].w == "your" {
			yours = true
		}
		if n := r.at(cFinding, k); n > 0 {
			e := k + n - 1
			if !yours {
				for m := e + 1; m < len(r.ws) && m <= e+2 && r.sent[m] == sn; m++ {
					yours = yours || r.ws[m].w == "your"
				}
			}
			if yours {
				return e
			}
		}
	}
	return -1
}

// appointment finds, in sentence sn, a person or place of care and a
// day or time: the span from the first to the last of them.
func (r *reading) appointment(sn int) (span, bool) {
	first, last, who, when := -1, -1, false, false
	for i := 0; i < len(r.ws); i++ {
		if r.sent[i] != sn {
			continue
		}
		n := max(r.at(cRole, i), r.at(cPlace, i))
		// "your visit on Tuesday", "the session tomorrow".
		if c := r.at(cCare, i); c > 0 && r.ws[i].w != "care" && r.ws[i].w != "records" {
			n = max(n, c)
		}
		if n == 0 && (r.termAt[i] || whoMeasure[r.ws[i].w]) {
			n = 1
		}
		if n > 0 {
			who = true
		} else if n = r.when(i); n > 0 {
			when = true
		}
		if n > 0 {
			if first < 0 {
				first = i
			}
			last = i + n - 1
			i += n - 1
		}
	}
	if !who || !when {
		return span{}, false
	}
	return span{start: r.ws[first].start, end: r.ws[last].end, kind: "appointment", typ: analyze.PHIDate, blocks: true}, true
}

// dose reports whether word i is a dose ("200 mg", "5mg", "10 units"):
// in a sentence to the reader, someone's medicine.
func (r *reading) dose(i int) bool {
	w := r.ws[i].w
	d := digits(w)
	if d == "" || !strings.HasPrefix(w, d) {
		return false
	}
	u := w[len(d):]
	if u == "" && i+1 < len(r.ws) && r.sent[i+1] == r.sent[i] {
		u = r.ws[i+1].w
	}
	switch u {
	case "mg", "mcg", "ml", "milligrams", "micrograms", "iu":
		return true
	}
	return false
}

// whoMeasure are tests that are booked like a visit ("your CT for the
// 21st").
var whoMeasure = map[string]bool{"ct": true, "mri": true, "x-ray": true, "xray": true, "ultrasound": true, "mammogram": true, "biopsy": true,
	"echo": true, "ekg": true, "ecg": true, "labs": true, "bloodwork": true, "scan": true, "pap": true}

// when is the number of words of a day or time at word i ("Thursday",
// "2:45", "9am", "at 3", "the 14th"), 0 for none.
func (r *reading) when(i int) int {
	if n := r.at(cWhen, i); n > 0 {
		return n
	}
	w := r.ws[i].w
	d := digits(w)
	// "el 5 de julio".
	if d != "" && len(d) == len(w) && len(d) <= 2 && i+2 < len(r.ws) && r.ws[i+1].w == "de" && mes[r.ws[i+2].w] {
		return 3
	}
	switch {
	case d == "" || len(d) > 2:
		return 0
	case len(d) == len(w):
		// "2:45", or "at 3" with nothing after.
		if rest := r.text[r.ws[i].end:]; len(rest) >= 3 && rest[0] == ':' && isDigit(rest[1]) && isDigit(rest[2]) {
			return 1
		}
		// "at 3", not "at 1 (866) 555-0111".
		if rest := strings.TrimLeft(r.text[r.ws[i].end:], " "); i > 0 && r.ws[i-1].w == "at" && r.sent[i-1] == r.sent[i] && atoi(d) <= 12 && (rest == "" || !isDigit(rest[0]) && rest[0] != '(' && rest[0] != '-') {
			return 1
		}
	case strings.HasPrefix(w, d):
		switch w[len(d):] {
		case "am", "pm", "a.m", "p.m", "noon":
			return 1
		case "th", "st", "nd", "rd":
			// "the 14th", not "the 3rd floor".
			if !nounAfter(r.text[r.ws[i].end:]) {
				return 1
			}
		}
	}
	return 0
}

// moreDates finds dates written year first ("1990-05-14") and Spanish
// dates ("8 de mayo de 1962", "el 14 de octubre").
func (r *reading) moreDates() []span {
	var out []span
	for i, w := range r.ws {
		if len(w.w) == 10 && w.w[4] == '-' && w.w[7] == '-' && len(digits(w.w)) == 8 && isYear(w.w[:4]) {
			out = append(out, span{start: w.start, end: w.end, blocks: true})
			continue
		}
		if d := digits(w.w); d == "" || len(d) > 2 || len(d) != len(w.w) || i+2 >= len(r.ws) || r.ws[i+1].w != "de" || !mes[r.ws[i+2].w] {
			continue
		}
		e := i + 2
		if e+2 < len(r.ws) && r.ws[e+1].w == "de" && isYear(r.ws[e+2].w) {
			e += 2
		}
		out = append(out, span{start: w.start, end: r.ws[e].end, blocks: true})
	}
	return out
}

// mes are the months in Spanish.
var mes = map[string]bool{"enero": true, "febrero": true, "marzo": true, "abril": true, "mayo": true, "junio": true, "julio": true,
	"agosto": true, "septiembre": true, "setiembre": true, "octubre": true, "noviembre": true, "diciembre": true}
