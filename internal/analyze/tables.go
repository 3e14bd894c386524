package analyze

import (
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"earshot/internal/model"
)

// lexicons are the read-only tables shared by every Analyzer, built once
// from the word lists in data/ (see stdLexicons).
type lexicons struct {
	words       *hashTable[wordInfo] // polarity, languages and classes of words
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
	// wordNames and commonExtra feed commonWords (phinames.go):
	// given names that are words, and capitalised words rarely names.
	wordNames, commonExtra []string
	numbers                numberContext
	addressCues            []string
	streetEndings          streetEndings
	places                 placeLists // name_context.txt (phiplaces.go)
	emoticons              []emoticon
	emoji                  map[rune]uint8 // emoji with a sentiment
	crisisGate             *crisisGate    // crisis words (crisis.go)
}

// stdLexicons returns the lexicons built from the embedded word lists. The
// lists are part of the binary, so one that does not parse is a build
// mistake: it panics, on the first New, naming the file and line.
var stdLexicons = sync.OnceValue(func() *lexicons {
	l, err := loadLexicons(wordLists())
	if err != nil {
		panic("analyze: " + err.Error())
	}
	return l
})

// cueIdx holds the group index of each sentiment cue group the intent,
// urgency and needs_response rules ask about, so they test sig.cue
// without looking names up.
type cueIdx struct {
	wait, hold, noresp, denied, charge, afford, fail, staffbad, never,
	question, thanks, praise, request int
}

func (l *lexicons) buildCueIdx() error {
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
			return fmt.Errorf("word list cues_sentiment.txt: no group [%s], which the rules ask about", c.name)
		}
		*c.at = i
	}
	return nil
}

// loadLexicons reads every word list and builds the tables.
func loadLexicons(fsys fs.FS) (*lexicons, error) {
	l := &lexicons{
		cues:     newPhraseSet(),
		cueIndex: map[string]int{},
		urgent:   newPhraseSet(),
	}
	if err := l.loadCues(fsys); err != nil {
		return nil, err
	}
	if err := l.buildCueIdx(); err != nil {
		return nil, err
	}
	l.tax, l.taxErr = ParseTaxonomy(defaultTaxonomyText)
	if l.taxErr != nil {
		l.tax = &Taxonomy{phrases: newPhraseSet()} // DefaultTaxonomy reports the error
	}
	var err error
	if l.health, err = loadHealthVocab(fsys); err != nil {
		return nil, err
	}
	if l.words, err = l.loadWordTable(fsys); err != nil {
		return nil, err
	}
	if l.commonExtra, err = readWords(fsys, "common_words.txt"); err != nil {
		return nil, err
	}
	english, err := readWords(fsys, "english_words.txt")
	if err != nil {
		return nil, err
	}
	l.commonExtra = append(l.commonExtra, english...)
	if l.numbers, err = loadNumberContext(fsys); err != nil {
		return nil, err
	}
	if l.addressCues, err = readPhrases(fsys, "address_cues.txt"); err != nil {
		return nil, err
	}
	if l.streetEndings, err = loadStreetEndings(fsys); err != nil {
		return nil, err
	}
	if l.places, err = loadPlaces(fsys); err != nil {
		return nil, err
	}
	if l.emoticons, err = loadEmoticons(fsys); err != nil {
		return nil, err
	}
	if l.emoji, err = loadEmoji(fsys); err != nil {
		return nil, err
	}
	if l.crisisGate, err = loadCrisisGate(fsys); err != nil {
		return nil, err
	}
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
	return l, nil
}

// loadCues reads the sentiment cue groups and the critical and high
// urgency groups.
func (l *lexicons) loadCues(fsys fs.FS) error {
	groups, err := readList(fsys, "cues_sentiment.txt")
	if err != nil {
		return err
	}
	if len(groups) > len(signals{}.cue) {
		return fmt.Errorf("word list cues_sentiment.txt: %d groups, at most %d", len(groups), len(signals{}.cue))
	}
	for i, g := range groups {
		l.cueNames = append(l.cueNames, "p:"+g.name)
		l.cueHashes = append(l.cueHashes, hashString(fnvOffset, "p:"+g.name))
		l.cueIndex[g.name] = i
		for _, p := range g.items {
			if err := l.cues.add(p, uint16(i)); err != nil {
				return fmt.Errorf("word list cues_sentiment.txt [%s]: %w", g.name, err)
			}
		}
	}
	for _, set := range []struct{ level, file string }{
		{model.UrgencyCritical, "cues_critical.txt"}, {model.UrgencyHigh, "cues_high.txt"},
	} {
		groups, err := readList(fsys, set.file)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if slices.Contains(l.urgentNames, g.name) {
				return fmt.Errorf("word list %s: group [%s] is in another urgency list too", set.file, g.name)
			}
			id := uint16(len(l.urgentNames))
			l.urgentNames = append(l.urgentNames, g.name)
			l.urgentLevel = append(l.urgentLevel, set.level)
			for _, p := range g.items {
				if err := l.urgent.add(p, id); err != nil {
					return fmt.Errorf("word list %s [%s]: %w", set.file, g.name, err)
				}
			}
		}
	}
	return nil
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

// Word classes: the lists of data/word_classes.txt and
// data/urgency_words.txt, and the words that start a phrase, as
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
	clsLowerNameCue
	clsLowerSurnameCue
	clsLowerNotName
	clsConnector
	clsSentenceWord
	clsOrdinal
	clsCrisisNegator
	clsCrisisTopic
	clsCrisisPastLast
	clsCrisisPastAgo
	clsVisitVerb
	clsOngoing
)

// wordClassBit returns the class bit of a section of word_classes.txt or
// urgency_words.txt.
func wordClassBit(name string) (uint32, bool) {
	bits := map[string]uint32{
		"negator": clsNegator, "contrast": clsContrast, "intensifier": clsIntensifier, "diminisher": clsDiminisher,
		"question": clsQuestion, "name_cue": clsNameCue, "title": clsTitle, "person_verb": clsPersonVerb,
		"place_preposition": clsPlacePrep, "month": clsMonth, "weekday": clsWeekday, "street_suffix": clsStreet,
		"unit": clsUnit, "lower_name_cue": clsLowerNameCue, "lower_surname_cue": clsLowerSurnameCue,
		"lower_not_name": clsLowerNotName, "connector": clsConnector, "sentence_word": clsSentenceWord,
		"ordinal": clsOrdinal, "crisis_negator": clsCrisisNegator, "crisis_topic": clsCrisisTopic,
		"crisis_past_last": clsCrisisPastLast, "crisis_past_ago": clsCrisisPastAgo, "visit_verb": clsVisitVerb,
		"ongoing": clsOngoing,
	}
	bit, ok := bits[name]
	return bit, ok
}

// loadWordTable merges the polarity lexicon, the language words and the
// word classes into one table, so each word of a post costs one lookup.
func (l *lexicons) loadWordTable(fsys fs.FS) (*hashTable[wordInfo], error) {
	lex, err := loadLexicon(fsys)
	if err != nil {
		return nil, err
	}
	t := &hashTable[wordInfo]{}
	for h, p := range lex {
		t.put(h, wordInfo{pol: p, hasPol: true})
	}
	if err := addLanguageWords(fsys, t); err != nil {
		return nil, err
	}
	mark := func(words []string, bit uint32) {
		for _, w := range words {
			h := hashString(fnvOffset, w)
			info, _ := t.get(h)
			info.cls |= bit
			t.put(h, info)
		}
	}
	for _, file := range []string{"word_classes.txt", "urgency_words.txt"} {
		classes, err := readList(fsys, file)
		if err != nil {
			return nil, err
		}
		if err := singleWords(file, classes); err != nil {
			return nil, err
		}
		for _, c := range classes {
			bit, ok := wordClassBit(c.name)
			if !ok {
				return nil, fmt.Errorf("word list %s: no word class [%s]", file, c.name)
			}
			mark(c.items, bit)
		}
	}
	given, err := readWords(fsys, "given_names.txt")
	if err != nil {
		return nil, err
	}
	mark(given, clsGivenName)
	if l.wordNames, err = readWords(fsys, "word_names.txt"); err != nil {
		return nil, err
	}
	// A given name that is also a word is not a name in lower case.
	mark(l.wordNames, clsLowerNotName)
	return t, nil
}

// polarity returns the lexicon polarity of the word with hash h.
func (l *lexicons) polarity(h uint64) (float32, bool) {
	w, _ := l.words.get(h)
	return float32(w.pol), w.hasPol
}
