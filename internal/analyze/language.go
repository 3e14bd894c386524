package analyze

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language detection: which language a post is written in, as an ISO 639-1
// code, so that a Spanish-speaking member's post can reach someone who
// answers in Spanish. Posts are short, so the method is simple and
// robust rather than statistical: the writing system decides for scripts
// used by one or two languages (Han, kana, Hangul, Cyrillic, Arabic,
// Devanagari, Greek, Hebrew, Thai); within the Latin script, the most
// common function words of each language are counted, helped by letters
// only some languages use. A post with no letters is "und"
// (undetermined); a Latin-script post without clear evidence for another
// language is English, the language the rest of the analyser reads.

// LanguageUndetermined is the language of a post without letters.
const LanguageUndetermined = "und"

// latinLanguages are the Latin-script languages told apart by words, in
// the order of their bits in langWords.
var latinLanguages = [...]string{"en", "es", "fr", "pt", "de", "it", "tl", "vi"}

// langFunctionWords are, for each of latinLanguages, common short words
// (articles, pronouns, prepositions, auxiliaries, greetings and thanks)
// as the tokenizer normalises them: lower case, apostrophes dropped,
// accents kept. Written by Earshot's engineers.
var langFunctionWords = [len(latinLanguages)]string{
	// en
	`the a and is are was were to of in for my i you it this that with have has had on at be me we they
		your our can will just what how why please thanks thank been get got im dont cant its not there
		from about would could should did does do an if so when who still as or but all up out like by
		he she his her him them their us one more now new go day love good great time today know want need`,
	// es
	`el la los las de del que y en un una es por para con mi mis me se lo su sus al pero muy más mas ya
		porque cuando tengo estoy gracias hola favor está esta son como qué sí nos le les hay todo nada
		usted ustedes yo necesito puedo pueden mí también tambien desde hasta sin sobre ni fue ser`,
	// fr
	`le la les de des du et est un une je vous nous pas pour avec sur dans ce cette qui que mon ma mes
		très tres merci bonjour il elle au aux ne suis été ai avez sont mais ou où leur votre notre`,
	// pt
	`o os as de do da dos das que em um uma não nao para com por meu minha é está muito obrigado
		obrigada você voce isso mas se na nos ao eu já ja estou tenho foi são sao pelo pela`,
	// de
	`der die das und ist nicht ich sie wir ein eine einen mit für fur auf zu den dem von es sind war
		bitte danke mein meine auch noch aber habe hat wie was wenn oder sehr`,
	// it
	`il lo la gli le di che è un una non per con sono mi ho ma questo questa grazie molto della del
		nel alla sul mio mia anche perché perche ancora come cosa`,
	// tl
	`ang ng mga sa ako ko po hindi naman lang na ay ito salamat kasi yung ba siya kami namin natin
		akin pa rin din talaga wala may`,
	// vi
	`không khong của cua tôi toi và là có được duoc cho với người này những một các bạn ban xin cảm ơn`,
}

// langGreetings are words that on their own say which language a post is
// in: greetings and thanks. They count twice.
var langGreetings = [len(latinLanguages)]string{
	"hello thanks", "hola gracias", "bonjour merci", "obrigado obrigada", "hallo danke", "ciao grazie", "salamat", "cảm",
}

// addLanguageWords marks, in the word table t, the languages each
// function word and greeting belongs to.
func addLanguageWords(t *hashTable[wordInfo]) {
	add := func(w string, bits uint16) {
		h := hashString(fnvOffset, w)
		info, _ := t.get(h)
		info.lang |= bits
		t.put(h, info)
	}
	for i := range latinLanguages {
		for _, w := range strings.Fields(langFunctionWords[i]) {
			add(w, 1<<i)
		}
		for _, w := range strings.Fields(langGreetings[i]) {
			add(w, 1<<i|1<<(8+i))
		}
	}
}

// countLanguage adds the language evidence of a word with bits (see
// wordInfo.lang) to score.
func countLanguage(score *[len(latinLanguages)]int16, bits uint16) {
	for k := range score {
		if bits&(1<<k) != 0 {
			score[k]++
		}
		if bits&(1<<(8+k)) != 0 {
			score[k]++
		}
	}
}

// scriptLanguage is the language of a script that, in posts to a care
// team, almost always means one language.
var scriptLanguage = []struct {
	table *unicode.RangeTable
	lang  string
}{
	{unicode.Hangul, "ko"}, {unicode.Hiragana, "ja"}, {unicode.Katakana, "ja"}, {unicode.Han, "zh"},
	{unicode.Cyrillic, "ru"}, {unicode.Arabic, "ar"}, {unicode.Devanagari, "hi"}, {unicode.Greek, "el"},
	{unicode.Hebrew, "he"}, {unicode.Thai, "th"},
}

// detectLanguage returns the language of text from the word counts
// extract gathered in sig.
func detectLanguage(sig *signals, text string) string {
	if sig.words == 0 {
		return LanguageUndetermined
	}
	score := sig.lang
	if hasNonASCII(text) {
		lang, hints := scriptOf(text)
		if lang != "" {
			return lang
		}
		for k := range score {
			score[k] += 2 * int16(hints[k])
		}
	}
	best := 0
	for k := 1; k < len(score); k++ {
		if score[k] > score[best] {
			best = k
		}
	}
	// English unless another language has clear evidence: more of its
	// words than English, and two at least (a greeting counts two).
	if best != 0 && score[best] > score[0] && score[best] >= 2 {
		return latinLanguages[best]
	}
	return "en"
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// scriptOf returns the language of text's script when most of its letters
// are in a script of scriptLanguage; otherwise "" and, per Latin
// language, how many of its distinctive letters text has.
func scriptOf(text string) (string, [len(latinLanguages)]int) {
	var hints [len(latinLanguages)]int
	var counts [16]int
	letters, kana := 0, 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				letters++
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch unicode.ToLower(r) {
		case 'ñ', '¿', '¡':
			hints[1]++
		case 'ç', 'è', 'ê', 'à', 'ë', 'î', 'ï', 'ô', 'û', 'ù', 'œ':
			hints[2]++
		case 'ã', 'õ':
			hints[3]++
		case 'ß', 'ä', 'ö', 'ü':
			hints[4]++
		case 'ì', 'ò':
			hints[5]++
		case 'đ', 'ơ', 'ư':
			hints[7]++
		}
		if r >= 0x1EA0 && r <= 0x1EF9 { // Vietnamese tone-marked vowels
			hints[7]++
		}
		if r < 0x0370 {
			continue // Latin letters with diacritics
		}
		for k, s := range scriptLanguage {
			if unicode.Is(s.table, r) {
				counts[k]++
				if s.lang == "ja" {
					kana++
				}
				break
			}
		}
	}
	best, total := 0, 0
	for k := range scriptLanguage {
		total += counts[k]
		if counts[k] > counts[best] {
			best = k
		}
	}
	if total == 0 || 2*total < letters {
		return "", hints
	}
	if kana > 0 {
		return "ja", hints // Japanese mixes kana with Han
	}
	return scriptLanguage[best].lang, hints
}

// languageNames are the English names of the languages detectLanguage
// returns.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German", "it": "Italian",
	"tl": "Tagalog", "vi": "Vietnamese", "ko": "Korean", "ja": "Japanese", "zh": "Chinese", "ru": "Russian",
	"ar": "Arabic", "hi": "Hindi", "el": "Greek", "he": "Hebrew", "th": "Thai", LanguageUndetermined: "undetermined",
}

// LanguageName returns the English name of a language code the analyser
// returns, or the code itself for another.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}
