package analyze

// lexicons are the read-only tables shared by every Analyzer, built once
// at package initialisation.
type lexicons struct {
	words       *hashTable[wordInfo] // polarity and languages of words
	cues        *phraseSet           // sentiment cue groups, label = group index
	cueNames    []string             // "p:" + group name
	cueHashes   []uint64             // hashes of cueNames
	cueIndex    map[string]int
	urgent      *phraseSet // critical and high groups, label = index in urgentNames
	urgentNames []string
	urgentLevel []string
	ci          cueIdx
	// tax is the default taxonomy (or the error parsing it): its phrases
	// start only with words of class clsIntentStart.
	tax    *Taxonomy
	taxErr error
	health healthVocab
}

// cueIdx holds the group index of each sentiment cue group the intent,
// urgency and needs_response rules ask about, so they test sig.cue
// without looking names up.
type cueIdx struct {
	wait, hold, noresp, denied, charge, afford, fail, staffbad, never,
	question, thanks, praise, request int
}

func (l *lexicons) buildCueIdx() {
	for _, c := range []struct {
		name string
		at   *int
	}{
		{"wait", &l.ci.wait}, {"hold", &l.ci.hold}, {"noresp", &l.ci.noresp}, {"denied", &l.ci.denied},
		{"charge", &l.ci.charge}, {"afford", &l.ci.afford}, {"fail", &l.ci.fail}, {"staffbad", &l.ci.staffbad},
		{"never", &l.ci.never}, {"question", &l.ci.question}, {"thanks", &l.ci.thanks}, {"praise", &l.ci.praise},
		{"request", &l.ci.request},
	} {
		i, ok := l.cueIndex[c.name]
		if !ok {
			panic("analyze: no sentiment cue group " + c.name)
		}
		*c.at = i
	}
}

var stdLex = buildLexicons()

func buildLexicons() *lexicons {
	l := &lexicons{
		cues:     newPhraseSet(),
		cueIndex: map[string]int{},
		urgent:   newPhraseSet(),
	}
	for i, g := range sentimentCues {
		l.cueNames = append(l.cueNames, "p:"+g.name)
		l.cueHashes = append(l.cueHashes, hashString(fnvOffset, "p:"+g.name))
		l.cueIndex[g.name] = i
		for _, p := range g.patterns {
			l.cues.mustAdd(p, uint16(i))
		}
	}
	if len(l.cueNames) > len(signals{}.cue) {
		panic("analyze: too many cue groups")
	}
	for _, set := range []struct {
		level  string
		groups []cueGroup
	}{{"critical", criticalCues}, {"high", highCues}} {
		for _, g := range set.groups {
			id := uint16(len(l.urgentNames))
			l.urgentNames = append(l.urgentNames, g.name)
			l.urgentLevel = append(l.urgentLevel, set.level)
			for _, p := range g.patterns {
				l.urgent.mustAdd(p, id)
			}
		}
	}
	l.buildCueIdx()
	l.tax, l.taxErr = ParseTaxonomy(defaultTaxonomyText)
	if l.taxErr != nil {
		l.tax = &Taxonomy{phrases: newPhraseSet()} // DefaultTaxonomy reports the error
	}
	l.health = buildHealthVocab()
	l.words = buildWordTable()
	// Mark the words that can start a cue, urgency, intent or health
	// phrase, so matching skips every other token without a lookup.
	for _, ps := range []struct {
		set *phraseSet
		bit uint32
	}{{l.cues, clsCueStart}, {l.urgent, clsUrgentStart}, {l.tax.phrases, clsIntentStart}, {l.health.set, clsHealthStart}} {
		ps.set.first.each(func(h uint64) {
			info, _ := l.words.get(h)
			info.cls |= ps.bit
			l.words.put(h, info)
		})
		ps.set.startBit = ps.bit
	}
	return l
}

// wordInfo is what the analyser knows of a word: its polarity, when it
// has one, and the languages it is a function word (low byte) or
// greeting (high byte) of, as bits of latinLanguages.
type wordInfo struct {
	cls    uint32 // word classes, cls*
	lang   uint16
	pol    int8 // the lexicon's scores are whole numbers
	hasPol bool
}

// Word classes: the small word lists the analyser asks about tokens, as
// bits of wordInfo.cls, so that a token's classes cost the one lookup
// that tokenize makes for it.
const (
	clsNegator uint32 = 1 << iota
	clsContrast
	clsIntensifier
	clsDiminisher
	clsQuestion
	clsGivenName
	clsNameCue
	clsTitle
	clsPersonVerb
	clsPlacePrep
	clsMonth
	clsWeekday
	clsStreet
	clsUnit
	clsCueStart    // starts a sentiment cue phrase
	clsUrgentStart // starts an urgency phrase
	clsIntentStart // starts a phrase of the default taxonomy
	clsHealthStart // starts a health term
)

// wordClasses are the lists behind each class bit.
func wordClasses() []struct {
	set *wordSet
	bit uint32
} {
	return []struct {
		set *wordSet
		bit uint32
	}{
		{negators, clsNegator}, {contrasts, clsContrast}, {intensifiers, clsIntensifier}, {diminishers, clsDiminisher},
		{questionWords, clsQuestion}, {givenNames, clsGivenName}, {nameCues, clsNameCue}, {titles, clsTitle},
		{personVerbs, clsPersonVerb}, {placePrepositions, clsPlacePrep}, {months, clsMonth}, {weekdays, clsWeekday},
		{streetSuffixes, clsStreet}, {unitWords, clsUnit},
	}
}

// buildWordTable merges the polarity lexicon and the language words into
// one table, so each word of a post costs one lookup.
func buildWordTable() *hashTable[wordInfo] {
	t := &hashTable[wordInfo]{}
	for h, p := range buildLexicon() {
		if float32(int8(p)) != p {
			panic("analyze: lexicon score not a whole number")
		}
		t.put(h, wordInfo{pol: int8(p), hasPol: true})
	}
	addLanguageWords(t)
	for _, c := range wordClasses() {
		c.set.t.each(func(h uint64) {
			info, _ := t.get(h)
			info.cls |= c.bit
			t.put(h, info)
		})
	}
	return t
}

// polarity returns the lexicon polarity of the word with hash h.
func (l *lexicons) polarity(h uint64) (float32, bool) {
	w, _ := l.words.get(h)
	return float32(w.pol), w.hasPol
}

// questionWords open a question.
var questionWords = setOf("how", "what", "when", "where", "why", "who", "which", "can", "could",
	"would", "will", "do", "does", "did", "is", "are", "was", "were", "should", "any", "anyone", "hi", "hello", "hey",
	"whats", "hows", "wheres", "whos", "whens", "whys", "isnt", "arent", "cant", "wont", "doesnt", "dont", "didnt", "quick",
	"cómo", "qué", "cuándo", "dónde", "donde", "cuánto", "cuanto", "cuánta", "cuál", "cual", "quién", "quien")
