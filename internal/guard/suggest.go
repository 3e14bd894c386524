package guard

import (
	"slices"
	"strings"
)

// why says, in an agent's words, why the guard marked phrase.
func why(kind, phrase string) string {
	switch kind {
	case "diagnosis":
		return "names a condition (" + phrase + ")"
	case "medication":
		return "names a medication (" + phrase + ")"
	case "procedure":
		return "names a procedure or test (" + phrase + ")"
	case "results":
		return "gives a test result (" + phrase + ")"
	case "care_date":
		return "a date tied to care (" + phrase + ")"
	case "dob":
		return "a date of birth (" + phrase + ")"
	case "member_number":
		return "a member, claim or record number (" + phrase + ")"
	case "phone":
		return "a phone number that is not the organisation's (" + phrase + ")"
	case "email":
		return "an email address that is not the organisation's (" + phrase + ")"
	case "relative_care":
		return "confirms " + relativeIn(phrase) + " is a patient (" + phrase + ")"
	case "appointment":
		return "confirms the person has an appointment here (" + phrase + ")"
	case "admission":
		return "confirms the person was a patient here (" + phrase + ")"
	case "coverage":
		return "tells what the person's plan paid or decided (" + phrase + ")"
	}
	return "confirms the person is a patient or member (" + phrase + ")"
}

// relativeIn names the relative of a relative_care phrase ("your
// mother").
func relativeIn(phrase string) string {
	ws := words(phrase)
	for i := range ws {
		if n := lex.match(ws, i, cRelative); n > 0 {
			return "your " + strings.Join(strings.Fields(phrase[ws[i].start:ws[i+n-1].end]), " ")
		}
	}
	return "a family member"
}

// privateAsk is the sentence a suggestion ends with when the reply does
// not already move the conversation somewhere private.
const privateAsk = "Please send us a direct message so we can help."

// suggest rewrites text without the words of reasons: a sentence that
// holds them goes, and in its place a sentence that keeps its tone
// ("We're sorry to hear about this."); a relative's care, in a sentence
// that only says sorry, hope or thanks, becomes "your family member's
// experience". The greeting and sign-off stay, and a request to move to
// a private message is added when there is none.
func suggest(text string, reasons []Reason) string {
	greet, body, sign := frame(text)
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, sn := range sentences(text, body) {
		var hit []Reason
		for _, r := range reasons {
			if r.Start < sn[1] && sn[0] < r.End {
				hit = append(hit, r)
			}
		}
		s := text[sn[0]:sn[1]]
		if len(hit) == 0 {
			add(s)
			continue
		}
		lower := strings.ToLower(s)
		onlyRelative := true
		for _, r := range hit {
			// Only a noun phrase ("your mother's stroke care at ...")
			// can give way to "your family member's experience"; a
			// clause ("your son has asthma, we hope ...") cannot.
			onlyRelative = onlyRelative && r.Kind == "relative_care" && possessive(r.Phrase)
		}
		if mood := tone(lower); onlyRelative && mood != "" {
			var b strings.Builder
			at := sn[0]
			for _, r := range hit {
				// A span may run past the sentence (into a sign-off).
				b.WriteString(text[at:min(max(at, r.Start), sn[1])])
				b.WriteString("your family member's experience")
				at = min(max(at, r.End), sn[1])
			}
			b.WriteString(text[at:sn[1]])
			add(upperFirst(strings.TrimSpace(b.String())))
			continue
		}
		add(toneSentence[tone(lower)])
	}
	if !asksPrivate(strings.ToLower(strings.Join(out, " "))) {
		add(privateAsk)
	}
	parts := []string{}
	if greet != "" {
		parts = append(parts, greet)
		// "Hi Chris, we're sorry...": the reply's first sentence goes on
		// from a greeting that ends with a comma.
		if strings.HasSuffix(greet, ",") && len(out) > 0 && startsOwn(out[0]) {
			out[0] = strings.ToLower(out[0][:1]) + out[0][1:]
		}
	}
	parts = append(parts, out...)
	if sign != "" {
		parts = append(parts, sign)
	}
	return strings.Join(parts, " ")
}

// possessive reports whether phrase is a noun phrase owned by the
// reader's relative: "your mother's ...", with no comma in it.
func possessive(phrase string) bool {
	f := strings.Fields(strings.ToLower(phrase))
	if len(f) < 3 || f[0] != "your" || strings.ContainsAny(phrase, ",;") {
		return false
	}
	return strings.HasSuffix(f[1], "'s") || strings.HasSuffix(f[1], "’s") || strings.HasSuffix(f[1], "s'")
}

// plainest is the suggestion when nothing of the reply can stay.
const plainest = "Thank you for reaching out. " + privateAsk

// plainReply is the suggestion of last resort but one: the greeting and
// sign-off of text around a thanks and the request to move to a private
// message.
func plainReply(text string) string {
	greet, _, sign := frame(text)
	return strings.TrimSpace(strings.Join([]string{greet, "Thank you for reaching out.", privateAsk, sign}, " "))
}

// startsOwn reports whether s starts with a word that may be written
// in lower case after a greeting ("We're", "Please", "Thank").
func startsOwn(s string) bool {
	w, _, _ := strings.Cut(s, " ")
	switch strings.TrimRight(w, "!,.") {
	case "We", "We're", "We'll", "We’re", "Please", "Thank", "Thanks", "Sorry", "Take", "Let", "Our", "So":
		return true
	}
	return false
}

// tone names what a sentence does for the reader: "sorry", "hope",
// "glad", "thanks" or "".
func tone(lower string) string {
	for _, t := range []struct{ word, tone string }{
		{"sorry", "sorry"}, {"apolog", "sorry"}, {"hope", "hope"}, {"glad", "glad"}, {"thank", "thanks"},
	} {
		if strings.Contains(lower, t.word) {
			return t.tone
		}
	}
	return ""
}

// toneSentence keeps the tone of a sentence a suggestion leaves out.
var toneSentence = map[string]string{
	"sorry":  "We're sorry to hear about this.",
	"hope":   "We hope you're doing well.",
	"glad":   "We're glad to hear from you.",
	"thanks": "Thank you for reaching out.",
}

// asksPrivate reports whether lower-case text already moves the
// conversation to a private channel.
func asksPrivate(lower string) bool {
	for _, p := range []string{" dm", "dm us", "direct message", "private message", "message us", "privately", "call us", "email us", "check your dms"} {
		if strings.Contains(" "+lower, p) {
			return true
		}
	}
	return false
}

// frame splits text into a leading greeting ("Hi Chris," or "@handle
// Hello!"), the body and a trailing sign-off ("^JB", "-Becky"),
// returning the greeting and sign-off as written and the body's byte
// span.
func frame(text string) (greet string, body [2]int, sign string) {
	body = [2]int{0, len(text)}
	t := strings.TrimRight(text, " \t\n")
	if i := strings.LastIndexAny(t, " \n"); i >= 0 && i+1 < len(t) {
		// A sign-off is a last word that starts with a mark, or a mark,
		// a space and a short name.
		for _, mark := range []string{"^", "-", "~", "–", "—", "*"} {
			k := strings.LastIndex(t, " "+mark)
			if k < 0 || len(t)-k > 24 || strings.ContainsAny(t[k+1:], ".!?") {
				continue
			}
			sign, body[1] = t[k+1:], k
			break
		}
	}
	ws := words(text[:body[1]])
	lead := 0
	for lead < len(ws) && strings.HasPrefix(text[max(ws[lead].start-1, 0):], "@") {
		lead++
	}
	if lead < len(ws) && greetWord[ws[lead].w] {
		stop := strings.IndexAny(text[ws[lead].start:body[1]], ",!.\n")
		if stop >= 0 && stop < 40 {
			end := ws[lead].start + stop + 1
			greet = strings.TrimSpace(text[:end])
			body[0] = end
		}
	}
	return greet, body, sign
}

// greetWord opens a greeting.
var greetWord = map[string]bool{"hi": true, "hello": true, "hey": true, "hiya": true, "dear": true, "good": true, "hola": true, "greetings": true, "howdy": true}

// sentences splits the body [b0, b1) of text into trimmed sentence
// spans, ending at '.', '!' or '?' followed by a space or the end.
func sentences(text string, body [2]int) [][2]int {
	var out [][2]int
	start := body[0]
	emit := func(end int) {
		s, e := start, end
		for s < e && (text[s] == ' ' || text[s] == '\n' || text[s] == '\t') {
			s++
		}
		for e > s && (text[e-1] == ' ' || text[e-1] == '\n' || text[e-1] == '\t') {
			e--
		}
		if s < e {
			out = append(out, [2]int{s, e})
		}
	}
	for i := body[0]; i < body[1]; i++ {
		c := text[i]
		if (c == '.' || c == '!' || c == '?') && (i+1 == body[1] || text[i+1] == ' ' || text[i+1] == '\n') {
			emit(i + 1)
			start = i + 1
		}
	}
	emit(body[1])
	return out
}

// upperFirst upper-cases an ASCII first letter.
func upperFirst(s string) string {
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
