package guard

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// Which words refuse a public reply, and how (the rule, in one place):
//
// Blocked (the reply may not go as it is, whatever the reason given):
// health information, that is a condition, medication, procedure or test
// result named in a sentence about someone's care (not in general
// information or a public-health notice: "free flu shots this
// Saturday"); a date of birth; a date in a sentence about someone's
// care; a member, group, claim, record, social security or card number
// (outside a web address); a phone number or email address that is not
// the organisation's (toll-free numbers and team addresses such as
// support@ are taken as the organisation's); and care of a relative
// ("your mother's stroke care"), which the relative never agreed to
// share.
//
// Warned (the reply may go with an override reason, since the person may
// have said it in public first): words that confirm the person is a
// patient or member without health details ("your stay", "your
// appointment", "as our patient", "your claim" beside a place of care).
//
// Sentence cues (cues.go) add to both: a result told in lay words ("your
// screen needs to be repeated"), an appointment by a person of care and
// a day or time, and a dose ("200 mg") to the reader block; membership
// or patient status however it is put ("enrolled in our program", "one
// of our patients") and a stay told without the word ("while you were
// with us", "the staff on 4 North") warn.
//
// Not findings: names, greetings and sign-offs, street addresses, hours
// and dates outside care, thread counters, link slugs and handles.

// assess marks the words of text (a reply as read, see Fold) that
// refuse it, given the analyzer's PHI findings in text and the
// organisation's contacts.
func assess(text string, phi []model.PHIFinding, c Contacts) []span {
	r := read(text)
	var health, dates, other []span
	for _, f := range phi {
		s := span{start: f.Start, end: f.End, typ: f.Type, blocks: true}
		switch f.Type {
		case analyze.PHICondition, analyze.PHIMedication, analyze.PHIProcedure:
			s.kind = map[string]string{analyze.PHICondition: "diagnosis", analyze.PHIMedication: "medication", analyze.PHIProcedure: "procedure"}[f.Type]
			health = append(health, s)
		case analyze.PHIDate:
			dates = append(dates, s)
		case analyze.PHIMemberID, analyze.PHIGroupNumber, analyze.PHIClaimNumber, analyze.PHIMRN, analyze.PHISSN, analyze.PHICardNumber:
			// "your warranty claim number": a number of trade.
			if i := r.wordAt(f.Start); !inLink(text, f.Start) && !ownNumber(text[f.Start:f.End], c) && !r.labelled(f.Start) && (i < 0 || !r.sents[r.sent[i]].commerce) {
				s.kind = "member_number"
				other = append(other, s)
			}
		case analyze.PHIPhone:
			if !inLink(text, f.Start) && !ownPhone(text[f.Start:f.End], c) && !strings.Contains(text[f.Start:f.End], ":") && !r.labelled(f.Start) && !r.offered(f.Start, false) {
				s.kind = "phone"
				other = append(other, s)
			}
		case analyze.PHIEmail:
			if !ownEmail(text[f.Start:f.End], c) && !r.offered(f.Start, true) {
				s.kind = "email"
				other = append(other, s)
			}
		}
	}
	health = r.termSpans(health)
	r.markHealth(health)
	var out []span
	for _, h := range health {
		// "your test results from the water kit": a product's.
		if i := r.wordAt(h.start); i >= 0 && (r.personal(i) && !r.service(h.end) || r.attended(h.end)) && !(h.kind == "results" && r.sents[r.sent[i]].commerce) && !r.aboutPet(i) {
			out = append(out, h)
		}
	}
	dates = append(append(append(dates, slashDates(text)...), fullDates(text)...), r.moreDates()...)
	for _, d := range dates {
		i := r.wordAt(d.start)
		if i < 0 {
			continue
		}
		s := &r.sents[r.sent[i]]
		switch {
		// "we had your birthday wrong; it's 12/2/1966": a date with a
		// year of birth in a reply about one.
		case s.dob || r.dob() && birthYear(text[d.start:d.end]):
			d.kind, d.typ = "dob", analyze.PHIDate
		// "your dog's dental cleaning at our vet clinic": trade, no
		// health term.
		case s.careContext() && (s.specific || s.your) && !inLink(text, d.start) && !(s.commerce && !s.health):
			d.kind, d.typ = "care_date", analyze.PHIDate
		default:
			continue
		}
		out = append(out, d)
	}
	out = append(out, other...)
	for _, n := range r.idNumbers() {
		if !inLink(text, n.start) && !ownNumber(text[n.start:n.end], c) {
			out = append(out, n)
		}
	}
	for _, sp := range r.relationships() {
		// Asking for details in private ("please DM us the date of your
		// visit") does not confirm them.
		if i := r.wordAt(sp.start); sp.blocks || i < 0 || !r.asked(i) {
			out = append(out, sp)
		}
	}
	out = append(out, r.roles()...)
	// A sentence cue adds to what the rules above found; an appointment
	// whose date is already marked adds nothing.
	dated := map[int]bool{}
	for _, sp := range out {
		if i := r.wordAt(sp.start); i >= 0 && sp.blocks {
			dated[r.sent[i]] = true
		}
	}
	for _, sp := range r.cues() {
		if i := r.wordAt(sp.start); sp.kind != "appointment" || i < 0 || !dated[r.sent[i]] {
			out = append(out, sp)
		}
	}
	return tidy(out)
}

// personal reports whether the health term at word i is someone's
// health: "your" before it, a relative of "your", sympathy, an event of
// care or another person in its sentence, or "the" (this one case)
// outside general information. "Free flu shots this Saturday", "our
// hospital was first to offer robotic surgery" and "signs of a stroke"
// are not.
func (r *reading) personal(i int) bool {
	s := &r.sents[r.sent[i]]
	if r.yours[i] || s.personal {
		return !(s.general && !s.your && !r.yours[i] && r.onlyAdvice(i))
	}
	for k := i - 1; k >= 0 && r.sent[k] == r.sent[i]; k-- {
		// "your son's asthma", not "get your kids' vaccines".
		if r.ws[k].w == "your" && r.at(cRelative, k+1) > 0 && !r.advice(k) {
			return true
		}
		// "you have sleep apnea", not "if you have diabetes".
		if w := r.ws[k].w; k >= i-3 && (w == "you" || w == "you're" || w == "you've") && !s.general && !r.hedged(i) {
			return true
		}
		// "living with MS is hard", "sabemos que padece de asma": a
		// condition the reader lives with, in a reply to them.
		if k >= i-3 && livingWord[r.ws[k].w] && !r.hedged(i) && (s.your || r.sent[i] == 0 && greetWord[r.ws[0].w]) {
			return true
		}
	}
	if i > 0 && r.sent[i-1] == r.sent[i] {
		switch r.ws[i-1].w {
		case "the", "this", "that":
			return !r.generalAt(i)
		}
	}
	return false
}

// aboutPet reports whether the sentence of word i is about an animal's
// care ("your dog's vaccines at our vet clinic", "your cat"), which is
// no one's health information; "allergic to cats" is a person's.
func (r *reading) aboutPet(i int) bool {
	for k := range r.ws {
		if r.sent[k] != r.sent[i] {
			continue
		}
		w := r.ws[k].w
		if petWord[w] || petNoun[w] && k > 0 && (r.ws[k-1].w == "your" || r.ws[k-1].w == "su" || r.ws[k-1].w == "tu") {
			return true
		}
	}
	return false
}

// petWord names an animal's care or an animal as someone's; petNoun
// names an animal, someone's after "your".
var (
	petWord = map[string]bool{"dog's": true, "cat's": true, "pet's": true, "puppy": true, "puppy's": true, "kitten": true, "kitten's": true, "vet": true,
		"veterinary": true, "veterinarian": true, "mascota": true}
	petNoun = map[string]bool{"dog": true, "cat": true, "pet": true, "horse": true, "perro": true, "gato": true}
)

// service reports whether the word after byte end names a service for a
// condition ("the cancer center", "our diabetes program").
func (r *reading) service(end int) bool {
	i := r.wordAt(end)
	// "your sleep disorder clinic referral" is the reader's.
	return i >= 0 && i < len(r.ws) && serviceAfter[r.ws[i].w] && !r.yours[i] && !strings.ContainsAny(r.text[end:r.ws[i].start], ".,;:!?") && !r.attends(i)
}

// attended reports whether the word after byte end names a service for a
// condition that the reader attends (see attends).
func (r *reading) attended(end int) bool {
	i := r.wordAt(end)
	return i >= 0 && serviceAfter[r.ws[i].w] && !strings.ContainsAny(r.text[end:r.ws[i].start], ".,;:!?") && r.attends(i)
}

// attends reports whether the service named at word i is the reader's:
// "you" follows it closely, not as "you can" ("the eating disorder
// program you're in", "our heart failure clinic will see you next
// week"), or "your" a little further ("our sleep clinic has your study
// on file"), in a sentence that does not hedge ("if", "anyone").
func (r *reading) attends(i int) bool {
	for k := i + 1; k < len(r.ws) && k <= i+7 && r.sent[k] == r.sent[i]; k++ {
		if strings.ContainsAny(r.text[r.ws[k-1].end:r.ws[k].start], ".,;:!?") {
			return false
		}
		switch r.ws[k].w {
		case "you", "you're", "you've", "le":
			if k <= i+5 {
				return !(k+1 < len(r.ws) && modalWord[r.ws[k+1].w]) && !r.hedged(i)
			}
		case "your":
			// "our sleep clinic has your study", "our wound clinic will
			// get in touch about your dressing changes".
			return r.yours[min(k+1, len(r.ws)-1)] && !r.hedged(i) && !r.advice(k)
		}
	}
	return false
}

// livingWord, shortly before a condition, says someone lives with it.
var livingWord = map[string]bool{"living": true, "lives": true, "coping": true, "vive": true, "viviendo": true, "padece": true, "sufre": true, "diagnosed": true, "managing": true, "dealing": true}

// serviceAfter, after a health term, makes it the name of a service.
var serviceAfter = map[string]bool{"center": true, "centre": true, "institute": true, "program": true, "programs": true, "foundation": true,
	"awareness": true, "department": true, "walk": true, "support": true, "unit": true, "floor": true, "clinic": true,
	"pavilion": true, "building": true, "tower": true, "wing": true, "services": true, "society": true, "research": true}

// anyone reports whether the sentence of word i says what anyone may do
// ("you can get copies of your records", "the portal lets you message
// your care team").
func (r *reading) anyone(i int) bool {
	for k := range r.ws {
		if r.sent[k] == r.sent[i] && k+1 < len(r.ws) && r.sent[k+1] == r.sent[i] {
			w, next := r.ws[k].w, r.ws[k+1].w
			if (w == "you" && modalWord[next]) || ((w == "lets" || w == "allows" || w == "helps") && next == "you") {
				return true
			}
		}
	}
	return false
}

// dob reports whether some sentence of the reply speaks of a date of
// birth.
func (r *reading) dob() bool {
	for _, s := range r.sents {
		if s.dob {
			return true
		}
	}
	return false
}

// birthYear reports whether a date ends with a year from 1900 to 2009,
// as a date of birth does and few dates of care do.
func birthYear(d string) bool {
	n := len(d)
	return n >= 4 && (d[n-4:n-2] == "19" || d[n-4:n-1] == "200") && len(digits(d[n-4:])) == 4
}

// hedged reports whether the sentence of word i has a word of hedgeWord
// ("if you have diabetes").
func (r *reading) hedged(i int) bool {
	for k := range r.ws {
		if r.sent[k] == r.sent[i] && hedgeWord[r.ws[k].w] {
			return true
		}
	}
	return false
}

// onlyAdvice reports whether the personal words of the sentence of word
// i are all words of a notice ("took", "ready" in "vaccines are ready
// for everyone"): none is sympathy or another person.
func (r *reading) onlyAdvice(i int) bool {
	for k := range r.ws {
		if r.sent[k] == r.sent[i] && (r.at(cSympathy, k) > 0 || r.at(cThird, k) > 0) {
			return false
		}
	}
	return true
}

// tidy sorts spans by start and drops any that lies inside an earlier
// one (a term the analyzer and the guard both found); a blocking span
// wins over a warning of the same words.
func tidy(spans []span) []span {
	slices.SortStableFunc(spans, func(a, b span) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(b.end, a.end)
	})
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.start < out[n-1].end && s.end <= out[n-1].end {
			if s.blocks && !out[n-1].blocks && s.start == out[n-1].start && s.end == out[n-1].end {
				out[n-1] = s
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// markHealth notes the sentences and words that hold health terms.
func (r *reading) markHealth(health []span) {
	for _, h := range health {
		for i := r.wordAt(h.start); i >= 0 && i < len(r.ws) && r.ws[i].start < h.end; i++ {
			r.sents[r.sent[i]].health = true
			r.termAt[i] = true
		}
	}
}

// relationships finds words that confirm someone is a patient or
// member: a relative's care (blocks), "your" before care words and the
// phrases of the confirm class (warn).
func (r *reading) relationships() []span {
	var out []span
	trade := false
	for _, s := range r.sents {
		trade = trade || s.commerce
	}
	for i := 0; i < len(r.ws); i++ {
		s := &r.sents[r.sent[i]]
		if n := r.at(cConfirm, i); n > 0 {
			// "a member since" and "been a member" are an airline's
			// words too; the others are a patient's or a plan's.
			if w := r.ws[i].w; !trade || (w != "a" && w != "been") {
				out = append(out, span{start: r.ws[i].start, end: r.ws[i+n-1].end, kind: confirmKind(r.ws[i+n-1].w), typ: "relationship"})
			}
			i += n - 1
			continue
		}
		if r.ws[i].w != "your" || r.advice(i) {
			continue
		}
		if sp, ok := r.relative(i); ok {
			out = append(out, sp)
			continue
		}
		for j := i + 1; j < len(r.ws) && j <= i+3 && r.sent[j] == r.sent[i]; j++ {
			if n := r.at(cCare, j); n > 0 {
				// "your follow-up appointment": the care words run on.
				e := j + n - 1
				for e+1 < len(r.ws) && r.sent[e+1] == r.sent[i] {
					m := r.at(cCare, e+1)
					if m == 0 {
						break
					}
					e += m
				}
				if !s.commerce && !r.generalAt(i) && !r.elsewhere(e) && !r.anyone(i) {
					out = append(out, span{start: r.ws[i].start, end: r.ws[e].end, kind: confirmKind(r.ws[e].w), typ: "relationship"})
				}
				break
			}
			if n := r.at(cCoverage, j); n > 0 {
				if (s.place || s.health) && !s.commerce && !r.anyone(i) {
					out = append(out, span{start: r.ws[i].start, end: r.ws[j+n-1].end, kind: "relationship", typ: "relationship"})
				}
				break
			}
			if r.at(cQualifier, j) == 0 && !r.termAt[j] {
				break
			}
		}
	}
	return out
}

// asked reports whether word i follows, in its sentence, words that ask
// for a private message ("DM us the date of your visit", but not "sorry
// about your visit, please DM us").
func (r *reading) asked(i int) bool {
	for k := i - 1; k >= 0 && r.sent[k] == r.sent[i]; k-- {
		if r.at(cPrivate, k) > 0 {
			return true
		}
	}
	return false
}

// roles finds, in a sentence that says sorry, hope or glad to "your"
// something and names a person or place of care, the words from "your"
// to that role ("your experience with the psychiatrist"): they confirm
// the person was cared for (a warning).
func (r *reading) roles() []span {
	var out []span
	for i := 0; i < len(r.ws); i++ {
		s := &r.sents[r.sent[i]]
		if r.ws[i].w != "your" || r.advice(i) || r.asked(i) || s.commerce {
			continue
		}
		for j := i + 1; j < len(r.ws) && r.sent[j] == r.sent[i]; j++ {
			// "your heart doctor here", "your primary physician at our
			// clinic": the role is ours, whatever the sentence says.
			n := r.at(cRole, j)
			if n == 0 && j <= i+3 && (r.at(cPlace, j) > 0 || r.staff(i, j)) && r.placedHere(j+max(1, r.at(cPlace, j))) {
				n = max(1, r.at(cPlace, j))
			} else if n > 0 && !s.specific && !(j <= i+3 && r.placedHere(j+n)) {
				n = 0
			}
			if n > 0 {
				out = append(out, span{start: r.ws[i].start, end: r.ws[j+n-1].end, kind: "relationship", typ: "relationship"})
				i = j + n - 1
				break
			}
		}
	}
	return out
}

// careStaff are people of care who, with "here" or "at our" after
// them, are the reader's ("your care manager here").
// "team", "manager" and the like (false) count only after a word of
// care ("your care manager", "your rheumatology team"), not "your
// account team".
var careStaff = map[string]bool{"team": false, "manager": false, "coordinator": false, "navigator": false, "nurse": true, "doctor": true,
	"physician": true, "surgeon": true, "therapist": true, "specialist": true, "médico": true, "medico": true}

// staff reports whether word j, after "your" at word i, is a person of
// care (see careStaff).
func (r *reading) staff(i, j int) bool {
	always, ok := careStaff[r.ws[j].w]
	if !ok {
		return false
	}
	return always || j == i+2 && (r.termAt[i+1] || r.ws[i+1].w == "care" || strings.HasSuffix(r.ws[i+1].w, "ology") || r.at(cPlace, i+1) > 0)
}

// placedHere reports whether the words from word k place what stands before
// them here: "here", "at our ...", "in our ...", "with us" or "'s
// office".
func (r *reading) placedHere(k int) bool {
	if k >= len(r.ws) || r.sent[k] != r.sent[k-1] {
		return false
	}
	switch r.ws[k].w {
	case "here", "aquí", "aqui":
		return true
	case "at", "in", "from", "with", "of":
		return k+1 < len(r.ws) && r.sent[k+1] == r.sent[k] && (r.ws[k+1].w == "our" || r.ws[k+1].w == "us")
	case "office", "team":
		return k+1 < len(r.ws) && r.sent[k+1] == r.sent[k] && (r.ws[k+1].w == "here" || r.ws[k+1].w == "will")
	}
	return false
}

// elsewhere reports whether the care word at word e is about something
// else: followed by "questions" or the like ("your care questions"), or
// by "to", "at" or "with" "our" and a word that is no place or person of
// care ("your visit to our Austin showroom", "your appointment with our
// installer").
func (r *reading) elsewhere(e int) bool {
	n := e + 1
	if n >= len(r.ws) || r.sent[n] != r.sent[e] {
		return false
	}
	switch r.ws[n].w {
	case "questions", "question", "concerns", "options", "needs", "preferences", "costs", "email", "code", "key", "phrase", "mode":
		return true
	case "to", "at", "with", "in":
	default:
		return false
	}
	if n+2 >= len(r.ws) || r.sent[n+2] != r.sent[e] || r.ws[n+1].w != "our" {
		return false
	}
	for k := n + 2; k < len(r.ws) && k <= n+4 && r.sent[k] == r.sent[e]; k++ {
		if r.at(cPlace, k) > 0 || r.at(cRole, k) > 0 || r.termAt[k] {
			return false
		}
	}
	return true
}

// confirmKind names the kind of a relationship warning by its last word.
func confirmKind(w string) string {
	switch w {
	case "appointment", "appointments", "follow-up", "followup":
		return "appointment"
	case "stay", "admission", "discharge", "admitted", "discharged", "hospitalized", "hospital":
		return "admission"
	}
	return "relationship"
}

// relative reads "your" at ws[i] followed by a relative ("your
// mother's", "your little one", "your 3-year-old son") in a sentence
// about care, and returns the span from "your" to the last care word
// after the relative, with the place named after it ("at Austin Medical
// Center").
func (r *reading) relative(i int) (span, bool) {
	sn := r.sent[i]
	k := -1
	for j := i + 1; j <= i+2 && j < len(r.ws) && r.sent[j] == sn; j++ {
		if n := r.at(cRelative, j); n > 0 {
			k = j + n - 1
			break
		}
	}
	if k < 0 {
		return span{}, false
	}
	s := &r.sents[sn]
	end := r.ws[k].end
	last := -1
	care := s.careContext()
	for j := k + 1; j < len(r.ws) && r.sent[j] == sn; j++ {
		for _, c := range []int{cCare, cPlace, cRelcare} {
			if n := r.at(c, j); n > 0 {
				last = j + n - 1
				care = true
			}
		}
		if r.termAt[j] {
			last = j
		}
	}
	if !care || r.generalAt(i) {
		return span{}, false
	}
	if last >= 0 {
		end = r.ws[last].end
		// "at Austin Medical Center": the place where the care was.
		j := last + 1
		if j+1 < len(r.ws) && r.sent[j] == sn && (r.ws[j].w == "at" || r.ws[j].w == "in") && capitalised(r.text[r.ws[j+1].start:]) {
			j++
		}
		for ; j < len(r.ws) && r.sent[j] == sn && capitalised(r.text[r.ws[j].start:r.ws[j].end]); j++ {
			end = r.ws[j].end
		}
	}
	return span{start: r.ws[i].start, end: end, kind: "relative_care", typ: "relative_care", blocks: true}, true
}

// capitalised reports whether w starts with an upper-case letter.
func capitalised(w string) bool {
	for _, c := range w {
		return unicode.IsUpper(c)
	}
	return false
}
