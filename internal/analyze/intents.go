package analyze

import (
	_ "embed"
	"fmt"
	"strings"

	"earshot/internal/model"
)

// Derived intents, given from the sentiment model and cues as well as
// from taxonomy phrases.
const (
	IntentComplaint = "complaint"
	IntentQuestion  = "question"
	IntentPraise    = "praise"
)

//go:embed data/intents.txt
var defaultTaxonomyText []byte

// DefaultTaxonomy returns the built-in intent taxonomy (data/intents.txt).
func DefaultTaxonomy() *Taxonomy {
	l := stdLexicons()
	t, err := l.tax, l.taxErr
	if err != nil {
		panic("analyze: embedded taxonomy: " + err.Error())
	}
	return t
}

// DefaultTaxonomyText returns the source of the built-in taxonomy, a
// starting point for an organisation's own.
func DefaultTaxonomyText() []byte { return append([]byte(nil), defaultTaxonomyText...) }

// Taxonomy is an editable set of intents, each recognised by phrase
// patterns and suppressed by exclusion patterns. It is immutable once
// parsed.
type Taxonomy struct {
	ids     []string
	phrases *phraseSet // label = 2*intent (+1 for an exclusion)
}

// IDs returns the intent ids in taxonomy order.
func (t *Taxonomy) IDs() []string { return append([]string(nil), t.ids...) }

// ParseTaxonomy reads a taxonomy in the format of data/intents.txt:
// "intent ID" lines, then one phrase pattern a line, exclusions starting
// with "-", comments starting with "#".
func ParseTaxonomy(src []byte) (*Taxonomy, error) {
	t := &Taxonomy{phrases: newPhraseSet()}
	cur := -1
	for n, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "intent "); ok {
			id := strings.TrimSpace(rest)
			if id == "" || strings.ContainsAny(id, " \t") {
				return nil, fmt.Errorf("taxonomy line %d: bad intent id %q", n+1, id)
			}
			for _, have := range t.ids {
				if have == id {
					return nil, fmt.Errorf("taxonomy line %d: intent %q defined twice", n+1, id)
				}
			}
			t.ids = append(t.ids, id)
			cur = len(t.ids) - 1
			continue
		}
		if cur < 0 {
			return nil, fmt.Errorf("taxonomy line %d: phrase before any intent", n+1)
		}
		label := uint16(2 * cur)
		if rest, ok := strings.CutPrefix(line, "-"); ok {
			line, label = strings.TrimSpace(rest), label+1
		}
		line = strings.ReplaceAll(line, `\$`, "$")
		if err := t.phrases.add(line, label); err != nil {
			return nil, fmt.Errorf("taxonomy line %d: %v", n+1, err)
		}
	}
	if len(t.ids) == 0 {
		return nil, fmt.Errorf("taxonomy: no intents")
	}
	if 2*len(t.ids) > 1<<15 {
		return nil, fmt.Errorf("taxonomy: too many intents")
	}
	return t, nil
}

// intents returns the intents of the text in st, in taxonomy order, with
// the derived intents last. A post in crisis is never praise.
func (a *Analyzer) intents(st *state, s model.Sentiment, crisis bool) []string {
	sc := st.sc
	sc.hits = a.tax.phrases.match(sc.toks, sc.hits[:0])
	var on, off [64]bool
	var onBig, offBig map[int]bool
	for _, h := range sc.hits {
		i := int(h.label / 2)
		if i < len(on) {
			if h.label%2 == 0 {
				on[i] = true
			} else {
				off[i] = true
			}
			continue
		}
		if onBig == nil {
			onBig, offBig = map[int]bool{}, map[int]bool{}
		}
		if h.label%2 == 0 {
			onBig[i] = true
		} else {
			offBig[i] = true
		}
	}
	out := make([]string, 0, 4)
	derived := [3]bool{}
	for i, id := range a.tax.ids {
		var yes bool
		if i < len(on) {
			yes = on[i] && !off[i]
		} else {
			yes = onBig[i] && !offBig[i]
		}
		switch id {
		case IntentComplaint:
			derived[0] = derived[0] || yes
			continue
		case IntentQuestion:
			derived[1] = derived[1] || yes
			continue
		case IntentPraise:
			derived[2] = derived[2] || yes
			continue
		}
		if yes && id == "staff" && !a.staffJudged(st) {
			// A mention of a doctor or a rep is not about staff unless
			// the post judges them.
			yes = false
		}
		if yes {
			out = append(out, id)
		}
	}
	l, sig := a.lex, &st.sig
	complaintCue := sig.cue[l.ci.wait] || sig.cue[l.ci.hold] || sig.cue[l.ci.noresp] || sig.cue[l.ci.denied] ||
		sig.cue[l.ci.charge] || sig.cue[l.ci.afford] || sig.cue[l.ci.fail] || sig.cue[l.ci.staffbad] || sig.cue[l.ci.never]
	neg := st.probs[0]
	if neg >= 0.5 && (complaintCue || sig.neg+sig.butNeg >= 2 || sig.npos > 0) || neg >= 0.75 || derived[0] && neg >= 0.4 {
		out = append(out, IntentComplaint)
	}
	question := sig.quest > 0 && (sig.questionStart || sig.cue[l.ci.question]) ||
		sig.questionStart && sig.cue[l.ci.question] || derived[1]
	if question {
		out = append(out, IntentQuestion)
	}
	pos := st.probs[2]
	if !crisis && (pos >= 0.55 && (sig.cue[l.ci.thanks] || sig.cue[l.ci.praise] || sig.pos >= 2 || sig.emoPos > 0) && neg < 0.2 ||
		derived[2] && pos >= 0.5) {
		out = append(out, IntentPraise)
	}
	return out
}

// staffJudged reports whether the post praises or blames someone: a
// staff intent needs more than a mention of a role.
func (a *Analyzer) staffJudged(st *state) bool {
	l, sig := a.lex, &st.sig
	if sig.cue[l.ci.staffbad] || sig.cue[l.ci.thanks] || sig.cue[l.ci.praise] {
		return true
	}
	return sig.pos+sig.butPos >= 2 || sig.neg+sig.butNeg >= 2 || st.probs[0] >= 0.8 || st.probs[2] >= 0.8
}
