package cases

import (
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"earshot/internal/guard"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
)

// RefusedCrisis: a public reply on a case of critical urgency discusses
// the crisis (Crisis holds the words). What goes in public on such a
// case is the organisation's crisis public_reply, or words that say
// nothing of it; the rest is said privately.
const RefusedCrisis = "crisis_in_public_reply"

// CrisisMessage is the API's words for RefusedCrisis.
const CrisisMessage = "a public reply on a case in crisis must not discuss it; reply privately, or send the crisis protocol's public reply"

// ReasonCrisis is the kind of reason (guard.Reason) of words that
// discuss a crisis, and CrisisWhy what the agent reads for them.
const (
	ReasonCrisis = "crisis"
	CrisisWhy    = "discusses the crisis in public: say it in a private reply, or send the crisis protocol's public reply"
)

// CrisisPhrase is words of a reply that discuss a crisis, by UTF-8 byte
// offsets [Start, End) into the reply.
type CrisisPhrase struct {
	Phrase string `json:"phrase"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
}

//go:embed data/crisis_words.txt
var crisisWordsFile string

// phraseList are the phrases of data/crisis_words.txt, each a list of
// words, by their first word: exact ones in byFirst, those whose first
// word is a stem ("suicid*") in stems.
type phraseList struct {
	byFirst map[string][][]string
	stems   [][]string
}

// crisisWords is the list, read once.
var crisisWords = sync.OnceValue(func() *phraseList {
	l := &phraseList{byFirst: map[string][][]string{}}
	for line := range strings.Lines(crisisWordsFile) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Fields(line)
		if strings.HasSuffix(p[0], "*") {
			l.stems = append(l.stems, p)
		} else {
			l.byFirst[p[0]] = append(l.byFirst[p[0]], p)
		}
	}
	return l
})

// longest returns the length in words of the longest phrase of l that
// words start with, or 0.
func (l *phraseList) longest(words []crisisWord) int {
	n := 0
	for _, set := range [2][][]string{l.byFirst[words[0].w], l.stems} {
		for _, p := range set {
			if len(p) > n && len(p) <= len(words) && matchAt(words, p) {
				n = len(p)
			}
		}
	}
	return n
}

// crisisWord is one lower-case word of a folded reply and its byte span
// in the folded text.
type crisisWord struct {
	w          string
	start, end int
}

// splitWords cuts text into lower-case words of letters and digits; an
// apostrophe inside a word is left out of it ("can't" is "cant").
func splitWords(text string) []crisisWord {
	var out []crisisWord
	var b strings.Builder
	start, end := -1, 0
	flush := func() {
		if start >= 0 {
			out = append(out, crisisWord{w: b.String(), start: start, end: end})
		}
		b.Reset()
		start = -1
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			b.WriteRune(unicode.ToLower(r))
			end = i + utf8.RuneLen(r)
		case (r == '\'' || r == '’') && start >= 0:
		default:
			flush()
		}
	}
	flush()
	return out
}

// wordMatches reports whether the word w is the pattern p ("suicid*"
// matches every word it starts).
func wordMatches(p, w string) bool {
	if stem, ok := strings.CutSuffix(p, "*"); ok {
		return strings.HasPrefix(w, stem)
	}
	return p == w
}

// CrisisPhrases finds the words of text that discuss a crisis (self-harm,
// poisoning, a medical emergency, violence, abuse), as a reader will see
// them (guard.Fold), leaving out those inside the organisation's own
// public reply (publicReply, "" for none). Offsets are into text as
// given; nil when there is none.
func CrisisPhrases(text, publicReply string) []CrisisPhrase {
	v := guard.Fold(text)
	words := splitWords(v.Text)
	own := ownSpans(words, publicReply)
	var out []CrisisPhrase
	list := crisisWords()
	for i := 0; i < len(words); i++ {
		n := list.longest(words[i:])
		if n == 0 || inside(own, i, i+n) {
			continue
		}
		if s, e, ok := v.Span(words[i].start, words[i+n-1].end); ok {
			out = append(out, CrisisPhrase{Phrase: text[s:e], Start: s, End: e})
		}
		i += n - 1
	}
	return out
}

// matchAt reports whether words are the phrase p, word for word.
func matchAt(words []crisisWord, p []string) bool {
	for k, pw := range p {
		if !wordMatches(pw, words[k].w) {
			return false
		}
	}
	return true
}

// ownSpans returns, as [first, end) word indexes of words, where the
// words of the organisation's public reply stand in order.
func ownSpans(words []crisisWord, publicReply string) [][2]int {
	if strings.TrimSpace(publicReply) == "" {
		return nil
	}
	v := guard.Fold(publicReply)
	reply := splitWords(v.Text)
	if len(reply) == 0 {
		return nil
	}
	var out [][2]int
	for i := 0; i+len(reply) <= len(words); i++ {
		same := true
		for k := range reply {
			if words[i+k].w != reply[k].w {
				same = false
				break
			}
		}
		if same {
			out = append(out, [2]int{i, i + len(reply)})
			i += len(reply) - 1
		}
	}
	return out
}

// inside reports whether words [s, e) lie within one of spans.
func inside(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if sp[0] <= s && e <= sp[1] {
			return true
		}
	}
	return false
}

// CheckCrisisReply is the crisis rule of the reply policy: a public reply
// on a case of critical urgency that discusses the crisis, other than in
// the words of the protocol's public reply (p, nil when the file has
// none), is refused with RefusedCrisis, the words marked and the
// protocol's public reply offered as Suggestion. Private replies, and
// replies on other cases, pass (nil).
func CheckCrisisReply(c *model.Case, text string, visibility model.Visibility, p *org.Crisis) *Refusal {
	if c == nil || c.Urgency != model.UrgencyCritical || visibility != model.VisibilityPublic {
		return nil
	}
	own := ""
	if p != nil {
		own = p.PublicReply
	}
	phrases := CrisisPhrases(text, own)
	if len(phrases) == 0 {
		return nil
	}
	return &Refusal{Code: RefusedCrisis, Field: "text", Message: CrisisMessage, Crisis: phrases, Suggestion: own}
}

// JudgeStored judges a stored reply of case c again before it leaves
// (when it is approved, when the outbox sends it): the guard may have
// learnt since it was written, and the case may have turned critical
// since (p is the crisis protocol in force, nil for none). A refusal is
// a *Refusal; other errors are the guard's failures.
func JudgeStored(g *guard.Guard, c *model.Case, rp *model.Reply, p *org.Crisis) error {
	if err := g.VetStored(rp); err != nil {
		if gr := (*guard.Refusal)(nil); errors.As(err, &gr) {
			return &Refusal{Code: gr.Code, Guard: gr}
		}
		return err
	}
	if ref := CheckCrisisReply(c, rp.Text, rp.Visibility, p); ref != nil {
		return ref
	}
	return nil
}

// CrisisProtocol returns the crisis protocol of the organisation file in
// force in routes, or nil when it has none.
func CrisisProtocol(routes *route.Live) *org.Crisis {
	if routes == nil {
		return nil
	}
	return routes.Router().Org().Crisis
}

// Protocol is the crisis protocol of the organisation file in force, or
// nil when it has none (or the service has no file).
func (s *Service) Protocol() *org.Crisis { return CrisisProtocol(s.routes) }
